package org.jovs.core.natives;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The one place where lib-core loads libc. Loading costs 100-200 ms of ASM stub generation, so it
 * happens once, on first use, and every module shares the instance.
 */
public final class Native {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ENOSPC = 28;
    public static final int ENAMETOOLONG = 36;
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int ECONNRESET = 104;
    public static final int ECONNREFUSED = 111;
    public static final int EINPROGRESS = 115;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_CLOEXEC = 02000000;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOL_SOCKET = 1;
    public static final int SO_ERROR = 4;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int MSG_NOSIGNAL = 0x4000;

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGABRT = 6;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    public static final int PR_SET_NAME = 15;

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {
    }

    public static LibC libc() {
        return LIBC;
    }

    public static Runtime runtime() {
        return RUNTIME;
    }

    /** The errno saved by the last {@code @SaveError} call on this thread. */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    public static String strerror(int errno) {
        return LIBC.strerror(errno);
    }

    /** Throws {@link NativeException} for 'what' if 'rc' is negative, reading errno. */
    public static long check(long rc, String what) throws NativeException {
        if (rc < 0) {
            throw new NativeException(what, errno());
        }
        return rc;
    }

    /**
     * The address of direct buffer 'b', for the calls that take one; valid while 'b' is
     * reachable. Every module's natives use this one JNR runtime, whose errno is per thread.
     */
    public static long address(java.nio.ByteBuffer b) {
        if (!b.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return jnr.ffi.Pointer.wrap(RUNTIME, b).address();
    }

    /** A zeroed direct buffer of 'size' bytes in host byte order, as every C struct needs. */
    public static java.nio.ByteBuffer struct(int size) {
        return java.nio.ByteBuffer.allocateDirect(size).order(java.nio.ByteOrder.nativeOrder());
    }

    public static void setNonBlocking(int fd) throws NativeException {
        int flags = (int) check(LIBC.fcntl(fd, F_GETFL, 0), "fcntl(F_GETFL)");
        check(LIBC.fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl(F_SETFL)");
    }

    public static void setCloexec(int fd, boolean on) throws NativeException {
        int flags = (int) check(LIBC.fcntl(fd, F_GETFD, 0), "fcntl(F_GETFD)");
        flags = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
        check(LIBC.fcntl(fd, F_SETFD, flags), "fcntl(F_SETFD)");
    }

    /**
     * The pending error of socket 'fd' (SO_ERROR), which also clears it: after a non-blocking
     * connect() reported EINPROGRESS and the socket became writable, 0 means connected.
     */
    public static int socketError(int fd) throws NativeException {
        int[] value = new int[1];
        int[] len = {4};
        check(LIBC.getsockopt(fd, SOL_SOCKET, SO_ERROR, value, len), "getsockopt(SO_ERROR)");
        return value[0];
    }

    /** Closes 'fd', ignoring errors: for cleanup paths where nothing better can be done. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            LIBC.close(fd);
        }
    }
}
