package org.jovs.netlink.natives;

import java.nio.ByteBuffer;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls that lib-netlink needs beyond lib-core's {@code LibC}: sockets, ioctl and setns.
 *
 * <p>Every call saves errno; read it with {@link NlNative#errno()} on the same thread right after
 * the call. ByteBuffers must be direct: JNR passes the address at the buffer's position and never
 * moves position or limit, so callers set the limit from the returned length themselves.
 */
public interface NlLibC {
    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int bind(int fd, ByteBuffer addr, int addrlen);

    @SaveError int getsockname(int fd, ByteBuffer addr, @In @Out int[] addrlen);

    @SaveError int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

    @SaveError int getsockopt(int fd, int level, int optname, @Out int[] optval, @In @Out int[] optlen);

    @SaveError @ssize_t long send(int fd, ByteBuffer buf, @size_t long len, int flags);

    @SaveError @ssize_t long recv(int fd, ByteBuffer buf, @size_t long len, int flags);

    /** ioctl whose argument is a pointer to a struct (struct ifreq and the like). */
    @SaveError int ioctl(int fd, long request, ByteBuffer arg);

    /** ioctl whose argument is an integer value (TUNSETPERSIST). */
    @SaveError int ioctl(int fd, long request, long arg);

    @SaveError int setns(int fd, int nstype);
}
