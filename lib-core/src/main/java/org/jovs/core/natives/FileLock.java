package org.jovs.core.natives;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whole-file POSIX record locks through fcntl(2) and struct flock (x86-64 and aarch64 layout:
 * short l_type, short l_whence, off_t l_start at 8, off_t l_len at 16, pid_t l_pid at 24).
 *
 * <p>OVS pidfiles rely on these: the daemon holds a write lock, and readers such as
 * {@code ovs-appctl} ask with F_GETLK which pid holds it.
 */
public final class FileLock {
    private static final int F_GETLK = 5;
    private static final int F_SETLK = 6;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final int SIZE = 32;

    private FileLock() {
    }

    /** Takes a write lock on all of 'fd' without waiting; throws with EAGAIN/EACCES if held. */
    public static void lockWrite(int fd) throws NativeException {
        ByteBuffer fl = flock(F_WRLCK);
        Native.check(Native.libc().fcntl(fd, F_SETLK, fl), "fcntl(F_SETLK)");
    }

    /** The pid holding a conflicting write lock on 'fd', or 0 if the file is not locked. */
    public static int lockHolder(int fd) throws NativeException {
        ByteBuffer fl = flock(F_WRLCK);
        Native.check(Native.libc().fcntl(fd, F_GETLK, fl), "fcntl(F_GETLK)");
        return fl.getShort(0) == F_UNLCK ? 0 : fl.getInt(24);
    }

    private static ByteBuffer flock(short type) {
        ByteBuffer fl = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
        fl.putShort(0, type);
        fl.putShort(2, (short) 0); // SEEK_SET; start 0, length 0: the whole file
        return fl;
    }
}
