package org.jovs.vlog;

/**
 * Writes formatted lines to the log file. vlog calls it under its lock, in log order, from
 * whatever thread logs; an implementation must keep that order and must not drop lines.
 *
 * <p>{@link DirectLogFileWriter} write(2)s in the calling thread, which can block on a busy disk.
 * The worker route (lib-worker, OVS's 2012 design) will be a second implementation that hands each
 * line to the worker process as a no-reply request, sending the fd along with the first request
 * after each {@link #fileChanged}; it falls back to a {@link DirectLogFileWriter} when the worker
 * is absent or broken or when its request path is re-entered. Install it with
 * {@link Vlog#setLogFileWriter}.
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
     * other destinations and keeps going). Not called while no file is open.
     */
    int write(byte[] line);

    /**
     * Returns only once every line passed to {@link #write} has reached the file (the kernel):
     * vlog calls it after an EMER line and just before a fatal exit or abort.
     */
    void flush();
}
