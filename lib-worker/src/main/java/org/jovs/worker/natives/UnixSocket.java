package org.jovs.worker.natives;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.kenai.jffi.MemoryIO;

import jnr.ffi.Pointer;

import org.jovs.core.natives.LibC;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;

/**
 * One end of an AF_UNIX stream socket, driven with sendmsg(2)/recvmsg(2) so that file descriptors
 * can travel with the data (SCM_RIGHTS).
 *
 * <p>Data buffers must be direct ByteBuffers; calls take explicit offsets and never move a buffer's
 * position or limit. Results follow the kernel: a byte count, 0 for end of file, or a negative
 * errno (EAGAIN included), so the hot paths throw nothing. EINTR is retried here.
 *
 * <p>Ownership: the caller owns the fd given to the constructor and closes it with
 * {@link #close()}. Fds passed to {@link #send} stay owned by the caller (the kernel duplicates
 * them into the peer). Fds received by {@link #receive} are new (close-on-exec) descriptors owned
 * by whoever takes them from {@link #takeReceivedFds()}.
 *
 * <p>Not thread-safe: the msghdr scratch space is per instance.
 */
public final class UnixSocket {
    /** Most fds that one message may carry (OVS's SOUTIL_MAX_FDS). */
    public static final int MAX_FDS = 8;

    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOL_SOCKET = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int SCM_RIGHTS = 1;

    /* struct msghdr on LP64 Linux. */
    private static final int MSGHDR_IOV = 16;
    private static final int MSGHDR_IOVLEN = 24;
    private static final int MSGHDR_CONTROL = 32;
    private static final int MSGHDR_CONTROLLEN = 40;
    private static final int MSGHDR_FLAGS = 48;
    private static final int IOV_AT = 64;        /* two struct iovec */
    private static final int CONTROL_AT = 96;
    private static final int CMSG_HDR = 16;      /* struct cmsghdr: size_t len; int level; int type */
    private static final int CONTROL_SPACE = 256; /* more than CMSG_SPACE(MAX_FDS * 4) = 48 */
    private static final int SCRATCH_SIZE = CONTROL_AT + CONTROL_SPACE;

    private static final LibC LIBC = Native.libc();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    static {
        if (jnr.ffi.Runtime.getSystemRuntime().addressSize() != 8) {
            throw new UnsupportedOperationException("UnixSocket lays out struct msghdr for 64-bit Linux only");
        }
    }

    private final int fd;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH_SIZE).order(ByteOrder.nativeOrder());
    private final long scratchAddr = MEMORY.getDirectBufferAddress(scratch);
    private final Pointer msghdr = Pointer.wrap(Native.runtime(), scratchAddr);
    private final ByteBuffer pollfd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

    /* Addresses of the data buffers last used to send and to receive, saving a JNI lookup per call. */
    private Buffer sendBuffer;
    private long sendAddr;
    private Buffer receiveBuffer;
    private long receiveAddr;

    private int[] received;

    public UnixSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Creates a connected pair of close-on-exec, blocking AF_UNIX stream sockets. The caller owns
     * both fds.
     */
    public static int[] socketpair() throws NativeException {
        int[] fds = new int[2];
        Native.check(LIBC.socketpair(Native.AF_UNIX, Native.SOCK_STREAM | Native.SOCK_CLOEXEC, 0, fds),
                "socketpair");
        return fds;
    }

    /**
     * Duplicates each of 'fds' (close-on-exec); null or empty gives null. On failure, closes the
     * duplicates made so far and throws.
     */
    public static int[] dupAll(int[] fds) throws NativeException {
        if (fds == null || fds.length == 0) {
            return null;
        }
        int[] dups = new int[fds.length];
        for (int i = 0; i < fds.length; i++) {
            int d = LIBC.fcntl(fds[i], F_DUPFD_CLOEXEC, 0);
            if (d < 0) {
                int err = Native.errno();
                for (int j = 0; j < i; j++) {
                    Native.closeQuietly(dups[j]);
                }
                throw new NativeException("dup(" + fds[i] + ")", err);
            }
            dups[i] = d;
        }
        return dups;
    }

    public int fd() {
        return fd;
    }

    /**
     * Sends bytes [off1, off1 + len1) and then [off2, off2 + len2) of 'buf' in one sendmsg(2),
     * with fds[0..nFds) attached to the first byte. 'len2' may be 0. If the result is positive, the
     * fds went with it, however few bytes it covers. Never raises SIGPIPE.
     *
     * @param wait false to fail with -EAGAIN rather than block on a full socket
     * @return bytes sent, or a negative errno
     */
    public long send(ByteBuffer buf, int off1, int len1, int off2, int len2, int[] fds, int nFds, boolean wait) {
        if (buf != sendBuffer) {
            sendAddr = address(buf);
            sendBuffer = buf;
        }
        long base = sendAddr;
        ByteBuffer s = scratch;
        s.putLong(0, 0L);
        s.putInt(8, 0);
        s.putLong(MSGHDR_IOV, scratchAddr + IOV_AT);
        s.putLong(IOV_AT, base + off1);
        s.putLong(IOV_AT + 8, len1);
        s.putLong(IOV_AT + 16, base + off2);
        s.putLong(IOV_AT + 24, len2);
        s.putLong(MSGHDR_IOVLEN, len2 > 0 ? 2 : 1);
        if (nFds > 0) {
            int dataLen = 4 * nFds;
            s.putLong(CONTROL_AT, CMSG_HDR + dataLen);
            s.putInt(CONTROL_AT + 8, SOL_SOCKET);
            s.putInt(CONTROL_AT + 12, SCM_RIGHTS);
            for (int i = 0; i < nFds; i++) {
                s.putInt(CONTROL_AT + CMSG_HDR + 4 * i, fds[i]);
            }
            s.putLong(MSGHDR_CONTROL, scratchAddr + CONTROL_AT);
            s.putLong(MSGHDR_CONTROLLEN, CMSG_HDR + align8(dataLen));
        } else {
            s.putLong(MSGHDR_CONTROL, 0L);
            s.putLong(MSGHDR_CONTROLLEN, 0L);
        }
        s.putInt(MSGHDR_FLAGS, 0);
        int flags = MSG_NOSIGNAL | (wait ? 0 : MSG_DONTWAIT);
        for (;;) {
            long n = LIBC.sendmsg(fd, msghdr, flags);
            if (n >= 0) {
                return n;
            }
            int err = Native.errno();
            if (err != Native.EINTR) {
                return -err;
            }
        }
    }

    /**
     * Receives up to 'len' bytes into 'buf' at 'off'. File descriptors that arrive with them are
     * kept for {@link #takeReceivedFds()}; the kernel never delivers more than one sender's group in
     * one call (it stops after a segment that carried fds). If the kernel had to drop fds
     * (MSG_CTRUNC), the ones that did arrive are closed and the result is -EPROTO.
     *
     * @param wait false to fail with -EAGAIN rather than block on an empty socket
     * @return bytes received, 0 at end of file, or a negative errno
     */
    public long receive(ByteBuffer buf, int off, int len, boolean wait) {
        if (buf != receiveBuffer) {
            receiveAddr = address(buf);
            receiveBuffer = buf;
        }
        long base = receiveAddr;
        ByteBuffer s = scratch;
        s.putLong(0, 0L);
        s.putInt(8, 0);
        s.putLong(MSGHDR_IOV, scratchAddr + IOV_AT);
        s.putLong(MSGHDR_IOVLEN, 1);
        s.putLong(IOV_AT, base + off);
        s.putLong(IOV_AT + 8, len);
        s.putLong(MSGHDR_CONTROL, scratchAddr + CONTROL_AT);
        s.putLong(MSGHDR_CONTROLLEN, CONTROL_SPACE);
        s.putInt(MSGHDR_FLAGS, 0);
        int flags = MSG_CMSG_CLOEXEC | (wait ? 0 : MSG_DONTWAIT);
        long n;
        for (;;) {
            n = LIBC.recvmsg(fd, msghdr, flags);
            if (n >= 0) {
                break;
            }
            int err = Native.errno();
            if (err != Native.EINTR) {
                return -err;
            }
        }
        long controlLen = s.getLong(MSGHDR_CONTROLLEN);
        if (controlLen > 0) {
            collectFds((int) controlLen);
        }
        if ((s.getInt(MSGHDR_FLAGS) & MSG_CTRUNC) != 0) {
            closeReceived();
            return -Native.EPROTO;
        }
        return n;
    }

    /** The fds delivered by the last {@link #receive} call, or null; the caller takes ownership. */
    public int[] takeReceivedFds() {
        int[] fds = received;
        received = null;
        return fds;
    }

    /**
     * Waits up to 'timeoutMs' (negative: forever) for 'events' (PollLoop.POLLIN/POLLOUT) on this
     * socket, in a private poll(2) that involves no PollLoop. EINTR is returned, not retried, so
     * that the caller can recompute its timeout.
     *
     * @return revents (0 on timeout), or a negative errno
     */
    public int poll(int events, int timeoutMs) {
        pollfd.putInt(0, fd);
        pollfd.putShort(4, (short) events);
        pollfd.putShort(6, (short) 0);
        int rc = LIBC.poll(pollfd, 1, timeoutMs);
        if (rc < 0) {
            return -Native.errno();
        }
        return rc == 0 ? 0 : pollfd.getShort(6) & 0xffff;
    }

    /** Closes the socket with plain close(2) (no shutdown, so other holders are unaffected). */
    public void close() {
        closeReceived();
        Native.closeQuietly(fd);
    }

    private void collectFds(int controlLen) {
        int at = 0;
        while (at + CMSG_HDR <= controlLen) {
            int cmsgLen = (int) scratch.getLong(CONTROL_AT + at);
            if (cmsgLen < CMSG_HDR || at + cmsgLen > controlLen) {
                break;
            }
            if (scratch.getInt(CONTROL_AT + at + 8) == SOL_SOCKET
                    && scratch.getInt(CONTROL_AT + at + 12) == SCM_RIGHTS) {
                int n = (cmsgLen - CMSG_HDR) / 4;
                int old = received == null ? 0 : received.length;
                int[] fds = received == null ? new int[n] : java.util.Arrays.copyOf(received, old + n);
                for (int i = 0; i < n; i++) {
                    fds[old + i] = scratch.getInt(CONTROL_AT + at + CMSG_HDR + 4 * i);
                }
                received = fds;
            }
            at += CMSG_HDR + align8(cmsgLen - CMSG_HDR);
        }
    }

    private void closeReceived() {
        int[] fds = takeReceivedFds();
        if (fds != null) {
            for (int f : fds) {
                Native.closeQuietly(f);
            }
        }
    }

    private static long address(ByteBuffer buf) {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("UnixSocket needs direct buffers");
        }
        return MEMORY.getDirectBufferAddress(buf);
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }
}
