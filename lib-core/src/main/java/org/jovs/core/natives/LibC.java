package org.jovs.core.natives;

import java.nio.ByteBuffer;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls that lib-core needs, declared once for JNR-FFI.
 *
 * <p>Every call that can fail saves errno; read it with {@link Native#errno()} on the same thread
 * right after the call. Buffers are passed at their position; JNR never moves position or limit.
 */
public interface LibC {
    @SaveError int poll(ByteBuffer fds, long nfds, int timeout);

    @SaveError int pipe2(@Out int[] fds, int flags);

    @SaveError int socketpair(int domain, int type, int protocol, @Out int[] fds);

    @SaveError @ssize_t long read(int fd, ByteBuffer buf, @size_t long count);

    @SaveError @ssize_t long write(int fd, ByteBuffer buf, @size_t long count);

    @SaveError @ssize_t long write(int fd, @In byte[] buf, @size_t long count);

    @SaveError @ssize_t long sendmsg(int fd, Pointer msghdr, int flags);

    @SaveError @ssize_t long recvmsg(int fd, Pointer msghdr, int flags);

    @SaveError int close(int fd);

    @SaveError int dup(int fd);

    @SaveError int dup2(int oldfd, int newfd);

    @SaveError int fcntl(int fd, int cmd, int arg);

    @SaveError int open(String path, int flags, int mode);

    /** fcntl with a struct flock (F_GETLK, F_SETLK): see {@link FileLock}. */
    @SaveError int fcntl(int fd, int cmd, ByteBuffer flock);

    @SaveError int ftruncate(int fd, long length);

    @SaveError int fsync(int fd);

    @SaveError int kill(int pid, int sig);

    @SaveError int setsid();

    @SaveError int prctl(int option, String arg2, long arg3, long arg4, long arg5);

    /* Unix domain sockets: see UnixSocket. */
    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int bind(int fd, @In byte[] addr, int addrlen);

    @SaveError int listen(int fd, int backlog);

    @SaveError int accept4(int fd, Pointer addr, Pointer addrlen, int flags);

    @SaveError int connect(int fd, @In byte[] addr, int addrlen);

    @SaveError int getsockopt(int fd, int level, int optname, @Out int[] optval, @In @Out int[] optlen);

    @SaveError int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

    @SaveError @ssize_t long send(int fd, ByteBuffer buf, @size_t long len, int flags);

    @SaveError int unlink(String path);

    /** getrusage(2); RUSAGE_THREAD is 1. The struct is 144 bytes on 64-bit Linux. */
    @SaveError int getrusage(int who, ByteBuffer usage);

    int getpid();

    int getppid();

    void abort();

    String strerror(int errnum);
}
