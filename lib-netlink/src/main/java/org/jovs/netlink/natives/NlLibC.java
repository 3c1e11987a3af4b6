package org.jovs.netlink.natives;

import java.nio.ByteBuffer;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls that lib-netlink needs beyond lib-core's {@code LibC}: sockets, ioctl and setns,
 * and the few calls behind the system statistics (CPU count, load average, file system sizes).
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

    /**
     * send(2) and recv(2) take the buffer as an address ({@link NlNative#address}) rather than a
     * ByteBuffer: with only primitive arguments JNR makes a plain call, without looking the
     * buffer's address up through JNI each time, which saves some 0.15 us per call (measured on a
     * netlink round trip of about 5 us). The caller keeps the buffer alive.
     */
    @SaveError @ssize_t long send(int fd, @intptr_t long buf, @size_t long len, int flags);

    @SaveError @ssize_t long recv(int fd, @intptr_t long buf, @size_t long len, int flags);

    /** ioctl whose argument is a pointer to a struct (struct ifreq and the like). */
    @SaveError int ioctl(int fd, long request, ByteBuffer arg);

    /** ioctl whose argument is an integer value (TUNSETPERSIST). */
    @SaveError int ioctl(int fd, long request, long arg);

    @SaveError int setns(int fd, int nstype);

    /** sysconf(3), for {@link NlNative#SC_PAGESIZE} and {@link NlNative#SC_NPROCESSORS_ONLN}. */
    @SaveError long sysconf(int name);

    /** sched_getaffinity(2) with a CPU mask of 'size' bytes. */
    @SaveError int sched_getaffinity(int pid, @size_t long size, @Out byte[] mask);

    /** getloadavg(3): fills up to 'nelem' averages; returns how many, or -1. */
    int getloadavg(@Out double[] loadavg, int nelem);

    /** statvfs(3) into a direct buffer of at least {@link NlNative#STATVFS_SIZE} bytes. */
    @SaveError int statvfs(String path, ByteBuffer buf);
}
