package org.jovs.core.natives;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking AF_UNIX stream sockets on raw fds, for servers driven by the poll loop.
 *
 * <p>These are plain syscalls rather than junixsocket channels because junixsocket closes a
 * listening channel on its own as soon as its socket file is unlinked or replaced (it compares
 * inodes on accept), whereas OVS keeps serving the clients already queued; junixsocket also refuses
 * paths longer than sun_path, which OVS works around through /proc/self/fd. The poll loop needs
 * the int fds anyway.
 *
 * <p>Every fd returned here is non-blocking and close-on-exec and belongs to the caller, who
 * closes it with {@link Native#closeQuietly(int)}. Nothing here blocks.
 */
public final class UnixSocket {
    private static final Logger LOG = LoggerFactory.getLogger("socket_util");

    /** Size of sun_path in struct sockaddr_un, including the terminating NUL. */
    private static final int SUN_PATH_SIZE = 108;
    private static final int SUN_FAMILY_SIZE = 2;
    private static final int LISTEN_BACKLOG = 64;

    private UnixSocket() {
    }

    /**
     * Creates a socket listening on 'path', replacing whatever file 'path' names, as OVS's punix
     * streams do. A 'path' too long for sun_path is reached through /proc/self/fd/DIRFD/BASENAME.
     * On failure nothing is left behind and the exception carries the errno.
     */
    public static int listen(String path) throws NativeException {
        LibC libc = Native.libc();
        if (libc.unlink(path) < 0 && Native.errno() != Native.ENOENT) {
            LOG.warn("unlinking \"{}\": {}", path, Native.strerror(Native.errno()));
        }
        int fd = (int) Native.check(libc.socket(Native.AF_UNIX,
                Native.SOCK_STREAM | Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC, 0), "socket");
        int[] dirfd = {-1};
        boolean bound = false;
        try {
            byte[] addr = sockaddrFor(path, dirfd, "bind");
            Native.check(libc.bind(fd, addr, addr.length), "bind");
            bound = true;
            Native.check(libc.listen(fd, LISTEN_BACKLOG), "listen");
            return fd;
        } catch (NativeException e) {
            Native.closeQuietly(fd);
            if (bound) {
                libc.unlink(path);
            }
            throw e;
        } finally {
            Native.closeQuietly(dirfd[0]);
        }
    }

    /** Accepts one connection on listening socket 'fd'; returns its fd, or -1 if none is pending. */
    public static int accept(int fd) throws NativeException {
        int conn = Native.libc().accept4(fd, null, null, Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC);
        if (conn < 0) {
            int errno = Native.errno();
            if (errno == Native.EAGAIN) {
                return -1;
            }
            throw new NativeException("accept", errno);
        }
        return conn;
    }

    /**
     * Starts connecting a new socket to the one listening on 'path' and returns its fd. The
     * connection is usually complete on return; if the listener's backlog made it pending
     * (EINPROGRESS), wait for POLLOUT and then read {@link Native#socketError(int)}. A refused or
     * missing socket raises an exception carrying the errno, with no fd left open.
     */
    public static int connect(String path) throws NativeException {
        LibC libc = Native.libc();
        int fd = (int) Native.check(libc.socket(Native.AF_UNIX,
                Native.SOCK_STREAM | Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC, 0), "socket");
        int[] dirfd = {-1};
        try {
            byte[] addr = sockaddrFor(path, dirfd, "connect");
            if (libc.connect(fd, addr, addr.length) < 0 && Native.errno() != Native.EINPROGRESS) {
                throw new NativeException("connect", Native.errno());
            }
            return fd;
        } catch (NativeException e) {
            Native.closeQuietly(fd);
            throw e;
        } finally {
            Native.closeQuietly(dirfd[0]);
        }
    }

    /**
     * Reads into 'buf' at its position, up to its limit, and advances the position. Returns the
     * number of bytes read, 0 at end of file, or -1 if nothing can be read without blocking.
     */
    public static int read(int fd, ByteBuffer buf) throws NativeException {
        long n = Native.libc().read(fd, buf, buf.remaining());
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Native.EAGAIN || errno == Native.EINTR) {
                return -1;
            }
            throw new NativeException("read", errno);
        }
        buf.position(buf.position() + (int) n);
        return (int) n;
    }

    /**
     * Writes from 'buf' (direct) at its position, up to its limit, and advances the position.
     * Returns the number of bytes written, 0 if the socket is full. A peer that hung up gives an
     * EPIPE exception, never SIGPIPE.
     */
    public static int send(int fd, ByteBuffer buf) throws NativeException {
        long n = Native.libc().send(fd, buf, buf.remaining(), Native.MSG_NOSIGNAL);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Native.EAGAIN || errno == Native.EINTR) {
                return 0;
            }
            throw new NativeException("send", errno);
        }
        buf.position(buf.position() + (int) n);
        return (int) n;
    }

    /** Removes the socket file 'path', ignoring errors: for cleanup when a server stops. */
    public static void unlinkQuietly(String path) {
        Native.libc().unlink(path);
    }

    /**
     * The sockaddr_un for 'path'. A path too long for sun_path is named through
     * /proc/self/fd/DIRFD/BASENAME, with the directory opened into 'dirfd[0]', which the caller
     * closes once the address has been used.
     */
    private static byte[] sockaddrFor(String path, int[] dirfd, String what) throws NativeException {
        if (utf8(path).length < SUN_PATH_SIZE) {
            return sockaddr(path);
        }
        int slash = path.lastIndexOf('/');
        String dir = slash > 0 ? path.substring(0, slash) : slash == 0 ? "/" : ".";
        dirfd[0] = (int) Native.check(Native.libc().open(dir, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC, 0),
                "open");
        String name = "/proc/self/fd/" + dirfd[0] + "/" + path.substring(slash + 1);
        if (utf8(name).length >= SUN_PATH_SIZE) {
            throw new NativeException(what, Native.ENAMETOOLONG);
        }
        return sockaddr(name);
    }

    private static byte[] sockaddr(String name) {
        byte[] path = utf8(name);
        byte[] addr = new byte[SUN_FAMILY_SIZE + path.length + 1];
        // sa_family_t is a native-endian unsigned short.
        ByteBuffer.wrap(addr).order(java.nio.ByteOrder.nativeOrder()).putShort((short) Native.AF_UNIX);
        System.arraycopy(path, 0, addr, SUN_FAMILY_SIZE, path.length);
        return addr;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
