package org.jovs.vlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jovs.core.natives.LibC;
import org.jovs.core.natives.Native;

/**
 * The plain {@link LogFileWriter}: write(2) on the log file's fd in the calling thread, retrying
 * partial writes and EINTR. Lines reach the kernel before write() returns, so flush() has nothing
 * to do. May block while the disk is busy.
 *
 * <p>A write that fails after writing part of a line (a disk that fills up mid-line) leaves that
 * line cut; the next write to the same fd starts with a newline, so that the following line is
 * not glued to the fragment. {@link #checkForCutLine()} does the same for a line that another
 * writer (a killed worker process) left cut.
 */
public final class DirectLogFileWriter implements LogFileWriter {
    private static final byte[] NEWLINE = {'\n'};

    private final LibC libc = Native.libc();
    private int fd = -1;
    /* The file ends inside a line: the next write starts with a newline. */
    private boolean cut;

    @Override
    public void fileChanged(int fd) {
        if (fd != this.fd) {
            this.fd = fd;
            cut = false;
        }
    }

    @Override
    public int write(byte[] line) {
        return write(line, 0, line.length);
    }

    /** Like {@link #write(byte[])}, for the 'len' bytes of 'b' at 'off'. */
    public int write(byte[] b, int off, int len) {
        if (cut) {
            int error = writeFully(NEWLINE, 0, 1);
            if (error != 0) {
                return error;
            }
            cut = false;
        }
        return writeFully(b, off, len);
    }

    private int writeFully(byte[] b, int off, int len) {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            long n = libc.write(fd, buf, buf.remaining());
            if (n < 0) {
                int error = Native.errno();
                if (error != Native.EINTR) {
                    if (buf.position() > off && b[buf.position() - 1] != '\n') {
                        cut = true;
                    }
                    return error;
                }
            } else {
                buf.position(buf.position() + (int) n);
            }
        }
        return 0;
    }

    /**
     * Looks at the last byte of the file (a regular file only: reading a FIFO would take its
     * data) and, if it is not a newline, makes the next write start with one.
     */
    public void checkForCutLine() {
        Path self = Path.of("/proc/self/fd/" + fd);
        if (fd < 0 || !Files.isRegularFile(self)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(self, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            if (size > 0 && ch.read(last, size - 1) == 1 && last.get(0) != '\n') {
                cut = true;
            }
        } catch (IOException e) {
            // Unreadable (e.g. write-only permissions): nothing to repair then.
        }
    }

    @Override
    public void flush() {
    }
}
