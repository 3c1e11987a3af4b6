package org.jovs.vswitchd.dpif.natives;

import java.nio.ByteBuffer;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls of the userspace datapath's packet I/O, declared once for JNR-FFI: AF_PACKET
 * sockets, frame reads and writes, and the interface flags ioctl.
 *
 * <p>The per-frame calls take buffers as addresses of direct buffers ({@link DpifNative#address}):
 * with only primitive arguments JNR makes a plain call without a per-call buffer lookup. Every
 * call saves errno; read it with {@link DpifNative#errno()} right after the call, on the same thread.
 */
public interface DpifLibC {
    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int bind(int fd, ByteBuffer addr, int addrlen);

    @SaveError int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

    @SaveError @ssize_t long recvmsg(int fd, @intptr_t long msghdr, int flags);

    @SaveError @ssize_t long read(int fd, @intptr_t long buf, @size_t long count);

    @SaveError @ssize_t long write(int fd, @intptr_t long buf, @size_t long count);

    /** ioctl with a struct ifreq (SIOCGIFFLAGS, SIOCSIFFLAGS). */
    @SaveError int ioctl(int fd, long request, ByteBuffer ifreq);
}
