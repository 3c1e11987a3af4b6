package org.jovs.vlog;

/**
 * Writes formatted lines to the log file. vlog calls it under its lock, in log order, from
 * whatever thread logs; an implementation must keep that order and must not drop lines.
 *
 * <p>{@link DirectLogFileWriter} write(2)s in the calling thread, which can block on a busy disk.
 * {@link WorkerLogFileWriter} (OVS's 2012 design) hands lines to the worker process instead and
 * writes directly only when that keeps the order. Install one with {@link Vlog#setLogFileWriter}.
 *
 * <p>vlog owns the fd: it opens it (O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC) and closes it after the
 * next {@link #fileChanged} call. An implementation that needs the fd longer (e.g. to pass it to
 * the worker) must dup or send it before {@code fileChanged} returns.
 */
public interface LogFileWriter {
    /** The log file is now 'fd' (just opened or reopened), or -1 if it was closed. */
    void fileChanged(int fd);

    /**
     * Appends 'line' (one or more complete lines, each ending in a newline) to the current file.
     * Returns 0, or a positive errno if the line could not be written (vlog reports it on the
     * other destinations and keeps going). A writer that writes later reports errors itself. Not
     * called while no file is open.
     */
    int write(byte[] line);

    /**
     * Returns only once every line passed to {@link #write} has reached the file (the kernel), or
     * a process that will write it even if this one exits (the worker): vlog calls it after an
     * EMER line and just before a fatal exit or abort.
     */
    void flush();
}
