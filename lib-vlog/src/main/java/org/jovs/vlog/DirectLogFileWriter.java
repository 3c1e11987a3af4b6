package org.jovs.vlog;

import java.nio.ByteBuffer;

import org.jovs.core.natives.LibC;
import org.jovs.core.natives.Native;

/**
 * The plain {@link LogFileWriter}: write(2) on the log file's fd in the calling thread, retrying
 * partial writes and EINTR. Lines reach the kernel before write() returns, so flush() has nothing
 * to do. May block while the disk is busy.
 */
public final class DirectLogFileWriter implements LogFileWriter {
    private final LibC libc = Native.libc();
    private int fd = -1;

    @Override
    public void fileChanged(int fd) {
        this.fd = fd;
    }

    @Override
    public int write(byte[] line) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            long n = libc.write(fd, buf, buf.remaining());
            if (n < 0) {
                int error = Native.errno();
                if (error != Native.EINTR) {
                    return error;
                }
            } else {
                buf.position(buf.position() + (int) n);
            }
        }
        return 0;
    }

    @Override
    public void flush() {
    }
}
