package org.jovs.netlink;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jovs.core.Coverage;
import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.netlink.natives.NlLibC;
import org.jovs.netlink.natives.NlNative;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netlink socket (RFC 3549) to the kernel for one protocol, like OVS's struct nl_sock.
 *
 * <p>The socket is non-blocking and close-on-exec, bound with nl_pid 0 so the kernel picks its
 * port id, with extended acks on where the kernel has them and a 4 MiB receive buffer where the
 * process may force one. It lives in the network namespace of the thread that opened it.
 *
 * <p>Two ways to use one, never both on the same socket (a transaction on a socket that receives
 * notifications would swallow them, and notifications would interleave with replies):
 * <ul>
 * <li>Request/response: {@link #execute} and {@link #executeDump} (and the typed
 * {@link NlExecutor} defaults). They are blocking-style: they send, then wait in a private poll on
 * this socket until every reply is in, at most {@link #setTimeout timeout} milliseconds, so they
 * can never hang forever. While the worker runs, the main loop hands them to it instead
 * ({@link NlWorkerExecutor}).
 * <li>Notifications: {@link #joinGroup}, then {@link #receive()} from a module's {@code run()},
 * which never blocks, and {@link #waitFor(PollLoop)} from its {@code waitFor()}. If the kernel had to
 * drop notifications, {@link #receive()} raises {@link NlOverflowException} once, and the owner
 * must resynchronise.
 * </ul>
 * Not thread-safe: one owner at a time. The owner closes it.
 */
public final class NlSocket implements NlExecutor, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger("netlink_socket");
    private static final Coverage.Counter NETLINK_SENT = Coverage.counter("netlink_sent");
    private static final Coverage.Counter NETLINK_RECEIVED = Coverage.counter("netlink_received");
    private static final Coverage.Counter NETLINK_OVERFLOW = Coverage.counter("netlink_overflow");

    /** Default receive buffer, as OVS asks for (needs CAP_NET_ADMIN beyond net.core.rmem_max). */
    public static final int DEFAULT_RCVBUF = 4 * 1024 * 1024;
    /** Default bound on a blocking-style call. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    /** Kernel dump skbs are at most 32 KiB; this leaves room for large single replies. */
    private static final int RECV_BUFFER_SIZE = 128 * 1024;
    /** Requests per send are capped at about a page, as big skbs are expensive in the kernel. */
    private static final int MAX_BATCH_BYTES = 4096 - 512;
    private static final int MAX_BATCH_COUNT = 128;
    private static final int MAX_OVERFLOW_RETRIES = 3;
    private static final int MAX_DUMP_RETRIES = 10;

    private static final NlLibC LIBC = NlNative.libc();

    /**
     * send(2) calls made by this process, per protocol (0..31). Tests read it to prove which
     * process talked to the kernel; one uncontended atomic add per send costs nothing measurable.
     */
    private static final AtomicLongArray SEND_CALLS = new AtomicLongArray(32);

    private final int protocol;
    private final int pid;
    private int fd;
    private int rcvbuf;
    private int nextSeq = 1;
    private long timeoutMs = DEFAULT_TIMEOUT_MS;
    private ByteBuffer sendBuf = Native.struct(MAX_BATCH_BYTES * 2);
    private long sendAddr = Native.address(sendBuf);
    private final ByteBuffer recvBuf = Native.struct(RECV_BUFFER_SIZE);
    private final long recvAddr = Native.address(recvBuf);
    /* Heap copy of the last datagram, for receive(true); allocated on first use. */
    private byte[] scratch;
    private final ByteBuffer pollfd = Native.struct(8);

    private NlSocket(int fd, int protocol, int pid) {
        this.fd = fd;
        this.protocol = protocol;
        this.pid = pid;
    }

    /** Opens a socket for netlink 'protocol' in the calling thread's network namespace. */
    public static NlSocket open(int protocol) throws NativeException {
        int fd = (int) Native.check(LIBC.socket(NlNative.AF_NETLINK,
                NlNative.SOCK_RAW | NlNative.SOCK_CLOEXEC | NlNative.SOCK_NONBLOCK, protocol), "socket(AF_NETLINK)");
        try {
            if (LIBC.setsockopt(fd, NlNative.SOL_NETLINK, NlNative.NETLINK_EXT_ACK, new int[] {1}, 4) < 0) {
                LOG.warn("setting extended ack support failed ({})", Native.strerror(Native.errno()));
            }
            ByteBuffer addr = Native.struct(NlNative.SOCKADDR_NL_SIZE);
            addr.putShort(0, (short) NlNative.AF_NETLINK);
            Native.check(LIBC.bind(fd, addr, NlNative.SOCKADDR_NL_SIZE), "bind(AF_NETLINK)");
            int[] len = {NlNative.SOCKADDR_NL_SIZE};
            Native.check(LIBC.getsockname(fd, addr, len), "getsockname");
            if (len[0] < NlNative.SOCKADDR_NL_SIZE || addr.getShort(0) != NlNative.AF_NETLINK) {
                throw new NativeException("getsockname returned bad Netlink name", Native.EINVAL);
            }
            NlSocket sock = new NlSocket(fd, protocol, addr.getInt(4));
            sock.setReceiveBufferSize(DEFAULT_RCVBUF);
            return sock;
        } catch (NativeException e) {
            Native.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public int protocol() {
        return protocol;
    }

    /** The file descriptor, owned by this socket. */
    public int fd() {
        return fd;
    }

    /** The port id the kernel assigned (nl_pid), which the kernel addresses replies to. */
    public int portId() {
        return pid;
    }

    /** The bound on each blocking-style call, in milliseconds. */
    public void setTimeout(long ms) {
        this.timeoutMs = ms;
    }

    /**
     * Asks for a receive buffer of 'bytes': SO_RCVBUFFORCE, which ignores net.core.rmem_max but needs
     * CAP_NET_ADMIN, else SO_RCVBUF. Returns the size the kernel granted (it doubles the request).
     */
    public int setReceiveBufferSize(int bytes) throws NativeException {
        int[] v = {bytes};
        if (LIBC.setsockopt(fd, NlNative.SOL_SOCKET, NlNative.SO_RCVBUFFORCE, v, 4) < 0) {
            int err = Native.errno();
            if (err != Native.EPERM) {
                LOG.warn("setting {}-byte socket receive buffer failed ({})", bytes, Native.strerror(err));
            }
            Native.check(LIBC.setsockopt(fd, NlNative.SOL_SOCKET, NlNative.SO_RCVBUF, v, 4), "setsockopt(SO_RCVBUF)");
        }
        int[] len = {4};
        Native.check(LIBC.getsockopt(fd, NlNative.SOL_SOCKET, NlNative.SO_RCVBUF, v, len), "getsockopt(SO_RCVBUF)");
        rcvbuf = v[0];
        return rcvbuf;
    }

    /** The receive buffer size the kernel reports (SO_RCVBUF). */
    public int receiveBufferSize() {
        return rcvbuf;
    }

    /**
     * Joins multicast 'group' (for rtnetlink an RTNLGRP_* number, for genl an id from
     * {@link GenlFamily#groups()}). Joining a group twice is not an error.
     */
    public void joinGroup(int group) throws NativeException {
        membership(NlNative.NETLINK_ADD_MEMBERSHIP, group, "join");
    }

    /** Leaves multicast 'group'; messages already queued from it can still be received. */
    public void leaveGroup(int group) throws NativeException {
        membership(NlNative.NETLINK_DROP_MEMBERSHIP, group, "leave");
    }

    private void membership(int opt, int group, String what) throws NativeException {
        if (LIBC.setsockopt(fd, NlNative.SOL_NETLINK, opt, new int[] {group}, 4) < 0) {
            int err = Native.errno();
            LOG.warn("could not {} multicast group {} ({})", what, group, Native.strerror(err));
            throw new NativeException("setsockopt(" + what + " multicast group " + group + ")", err);
        }
    }

    /** Wakes 'loop' when a message can be received. */
    public void waitFor(PollLoop loop) {
        loop.fdWait(fd, PollLoop.POLLIN, "netlink socket " + pid);
    }

    /**
     * Receives the messages of one datagram without blocking; an empty list if none is queued.
     * Raises {@link NlOverflowException} if the kernel dropped messages for lack of buffer space,
     * {@link NlParseException} if the datagram is malformed.
     */
    public List<NlMsg> receive() throws IOException {
        return receive(false);
    }

    /**
     * Receives one datagram; its messages are copies, or with 'views', views of this socket's
     * scratch array that the next receive overwrites (for dumps decoded as they arrive: one bulk
     * copy into memory that stays in the cache, instead of 1.5 MB of fresh copies per big dump).
     */
    private List<NlMsg> receive(boolean views) throws IOException {
        long n;
        int err;
        do {
            n = LIBC.recv(fd, recvAddr, RECV_BUFFER_SIZE, NlNative.MSG_DONTWAIT | NlNative.MSG_TRUNC);
            err = n < 0 ? Native.errno() : 0;
        } while (err == Native.EINTR);
        if (err == Native.EAGAIN) {
            return List.of();
        } else if (err == NlNative.ENOBUFS) {
            NETLINK_OVERFLOW.inc();
            throw new NlOverflowException();
        } else if (err != 0) {
            throw new NativeException("recv(netlink)", err);
        } else if (n > RECV_BUFFER_SIZE) {
            throw new NlException("truncated netlink message (longer than " + RECV_BUFFER_SIZE + " bytes)");
        }
        NETLINK_RECEIVED.inc();
        List<NlMsg> msgs;
        if (views) {
            if (scratch == null) {
                scratch = new byte[RECV_BUFFER_SIZE];
            }
            recvBuf.get(0, scratch, 0, (int) n);
            msgs = NlMsg.views(scratch, 0, (int) n);
        } else {
            msgs = NlMsg.parseAll(recvBuf, 0, (int) n);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("received on port {}: {}", Integer.toUnsignedString(pid), msgs);
        }
        return msgs;
    }

    @Override
    public List<byte[]> execute(List<byte[]> requests) throws IOException {
        List<byte[]> out = new ArrayList<>(requests.size());
        for (List<NlMsg> reply : transactMessages(requests)) {
            out.add(NlMsg.concat(reply));
        }
        return out;
    }

    /** {@link NlExecutor#transact}, decoding the received messages without re-encoding them. */
    @Override
    public List<NlMsg> transact(NlMsgBuilder request) throws IOException {
        return NlReply.decode(transactMessages(List.of(request.toBytes())).get(0)).check();
    }

    /** {@link NlExecutor#transactAll}, decoding the received messages without re-encoding them. */
    @Override
    public List<NlReply> transactAll(List<NlMsgBuilder> requests) throws IOException {
        List<byte[]> encoded = new ArrayList<>(requests.size());
        for (NlMsgBuilder r : requests) {
            encoded.add(r.toBytes());
        }
        List<NlReply> out = new ArrayList<>(requests.size());
        for (List<NlMsg> reply : transactMessages(encoded)) {
            out.add(NlReply.decode(reply));
        }
        return out;
    }

    @Override
    public byte[] executeDump(byte[] request) throws IOException {
        List<NlMsg> all = new ArrayList<>();
        runDump(request, false, all::clear, all::add);
        return NlMsg.concat(all);
    }

    /** {@link NlExecutor#dump}, decoding the received messages without re-encoding them. */
    @Override
    public List<NlMsg> dump(NlMsgBuilder request) throws IOException {
        List<NlMsg> all = new ArrayList<>();
        runDump(request.toBytes(), false, all::clear, all::add);
        return NlReply.decode(all).check();
    }

    /** {@link NlExecutor#dump(NlMsgBuilder, Decoder)}, decoding each datagram's messages at once. */
    @Override
    public <T> List<T> dump(NlMsgBuilder request, Decoder<T> decoder) throws IOException {
        List<T> out = new ArrayList<>();
        List<NlMsg> control = new ArrayList<>(1);
        NlParseException[] firstError = {null};
        runDump(request.toBytes(), true, () -> {
            out.clear();
            control.clear();
            firstError[0] = null;
        }, m -> {
            if (!NlReply.isData(m)) {
                control.add(NlMsg.parse(m.bytes())); // a view: keep a copy
            } else if (firstError[0] == null) {
                try {
                    T t = decoder.decode(m);
                    if (t != null) {
                        out.add(t);
                    }
                } catch (NlParseException e) {
                    // Keep receiving, so the rest of the dump does not linger in the socket.
                    firstError[0] = e;
                }
            }
        });
        NlReply.decode(control).check();
        if (firstError[0] != null) {
            throw firstError[0];
        }
        return out;
    }

    /** Runs 'requests' as transactions; for each, its reply messages, ending with the NLMSG_ERROR. */
    private List<List<NlMsg>> transactMessages(List<byte[]> requests) throws IOException {
        List<List<NlMsg>> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            pending.add(i);
        }
        int overflows = 0;
        int maxCount = Math.min(Math.max(rcvbuf / 4096, 1), MAX_BATCH_COUNT);
        while (!pending.isEmpty()) {
            int count = 1;
            int bytes = requests.get(pending.get(0)).length;
            while (count < pending.size() && count < maxCount
                    && bytes + requests.get(pending.get(count)).length <= MAX_BATCH_BYTES) {
                bytes += requests.get(pending.get(count)).length;
                count++;
            }
            List<Integer> batch = pending.subList(0, count);
            try {
                transactBatch(requests, batch, results);
            } catch (NlOverflowException e) {
                // Replies were dropped, so we cannot tell which requests the kernel carried out.
                // Like OVS, send the unanswered ones again; bounded so a flood cannot loop forever.
                if (++overflows > MAX_OVERFLOW_RETRIES) {
                    throw e;
                }
                LOG.debug("receive buffer overflow, resending request");
            }
            pending.removeIf(i -> results.get(i) != null);
        }
        return results;
    }

    /**
     * Sends the requests 'batch' (indexes into 'requests') in one send and collects their replies
     * into 'results', setting each entry once its NLMSG_ERROR has arrived.
     */
    private void transactBatch(List<byte[]> requests, List<Integer> batch, List<List<NlMsg>> results)
            throws IOException {
        int n = batch.size();
        int base = allocateSeq(n);
        int total = 0;
        for (int i : batch) {
            total += Netlink.align(requests.get(i).length);
        }
        ByteBuffer out = sendBuffer(total);
        int off = 0;
        for (int k = 0; k < n; k++) {
            off += stamp(out, off, requests.get(batch.get(k)), base + k, Netlink.NLM_F_ACK);
        }
        long deadline = TimeVal.realMsec() + timeoutMs;
        send(total, n, deadline);

        List<List<NlMsg>> replies = new ArrayList<>(Collections.nCopies(n, null));
        int done = 0;
        while (done < n) {
            for (NlMsg m : receiveBefore(deadline, false)) {
                int k = m.seq() - base;
                if (k < 0 || k >= n || results.get(batch.get(k)) != null) {
                    LOG.debug("ignoring unexpected seq {}", Integer.toUnsignedString(m.seq()));
                    continue;
                }
                if (replies.get(k) == null) {
                    replies.set(k, new ArrayList<>(2));
                }
                replies.get(k).add(m);
                if (m.type() == Netlink.NLMSG_ERROR) {
                    results.set(batch.get(k), replies.get(k));
                    done++;
                }
            }
        }
    }

    /** Receives the messages of a dump, one at a time, for {@link #runDump}. */
    private interface DumpSink {
        void accept(NlMsg msg) throws NlParseException;
    }

    /**
     * Runs 'request' as a dump and hands its messages to 'sink' as they arrive, ending with the
     * NLMSG_DONE (or NLMSG_ERROR). A dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is
     * run again, after 'restart' has told the sink to forget what it got. With 'views', the
     * messages are valid only during {@code sink.accept}.
     */
    private void runDump(byte[] request, boolean views, Runnable restart, DumpSink sink) throws IOException {
        for (int attempt = 0; attempt < MAX_DUMP_RETRIES; attempt++) {
            if (attempt > 0) {
                LOG.debug("dump interrupted by a concurrent change, restarting");
                restart.run();
            }
            int seq = allocateSeq(1);
            ByteBuffer out = sendBuffer(Netlink.align(request.length));
            int len = stamp(out, 0, request, seq, Netlink.NLM_F_DUMP);
            long deadline = TimeVal.realMsec() + timeoutMs;
            send(len, 1, deadline);

            boolean interrupted = false;
            boolean finished = false;
            while (!finished) {
                for (NlMsg m : receiveBefore(deadline, views)) {
                    if (m.seq() != seq || finished) {
                        LOG.debug("ignoring unexpected seq {}", Integer.toUnsignedString(m.seq()));
                        continue;
                    }
                    interrupted |= (m.flags() & Netlink.NLM_F_DUMP_INTR) != 0;
                    sink.accept(m);
                    finished = m.type() == Netlink.NLMSG_DONE || m.type() == Netlink.NLMSG_ERROR;
                }
            }
            if (!interrupted) {
                return;
            }
        }
        throw new NlException("netlink dump interrupted " + MAX_DUMP_RETRIES + " times in a row");
    }

    /**
     * Copies 'request' into 'out' at 'off' with this socket's 'seq', port id and extra 'flags';
     * returns the aligned length used.
     */
    private int stamp(ByteBuffer out, int off, byte[] request, int seq, int flags) throws NlParseException {
        if (request.length < Netlink.NLMSG_HDRLEN) {
            throw new NlParseException("request shorter than a netlink header");
        }
        out.put(off, request);
        for (int i = request.length; i < Netlink.align(request.length); i++) {
            out.put(off + i, (byte) 0);
        }
        out.putInt(off, request.length);
        out.putShort(off + 6, (short) (out.getShort(off + 6) | Netlink.NLM_F_REQUEST | flags));
        out.putInt(off + 8, seq);
        out.putInt(off + 12, pid);
        return Netlink.align(request.length);
    }

    private ByteBuffer sendBuffer(int size) {
        if (sendBuf.capacity() < size) {
            sendBuf = Native.struct(Math.max(size, sendBuf.capacity() * 2));
            sendAddr = Native.address(sendBuf);
        }
        return sendBuf;
    }

    /** Sends the first 'len' bytes of the send buffer, 'nMsgs' messages. */
    private void send(int len, int nMsgs, long deadline) throws IOException {
        while (true) {
            SEND_CALLS.incrementAndGet(protocol);
            long n = LIBC.send(fd, sendAddr, len, 0);
            int err = n < 0 ? Native.errno() : 0;
            if (err == 0) {
                NETLINK_SENT.add(nMsgs);
                return;
            } else if (err == Native.EAGAIN) {
                pollUntil(PollLoop.POLLOUT, deadline);
            } else if (err != Native.EINTR) {
                throw new NativeException("send(netlink)", err);
            }
        }
    }

    /**
     * Receives at least one message ({@link #receive(boolean)}), waiting in a private poll until
     * 'deadline' at most.
     */
    private List<NlMsg> receiveBefore(long deadline, boolean views) throws IOException {
        while (true) {
            List<NlMsg> msgs = receive(views);
            if (!msgs.isEmpty()) {
                return msgs;
            }
            pollUntil(PollLoop.POLLIN, deadline);
        }
    }

    /**
     * Polls until 'deadline', a {@link TimeVal#realMsec()} reading: real time, so that a test's
     * stopped clock cannot make a transaction wait forever.
     */
    private void pollUntil(int events, long deadline) throws IOException {
        long left = deadline - TimeVal.realMsec();
        if (left <= 0) {
            throw new NlException("netlink transaction timed out after " + timeoutMs + " ms");
        }
        pollfd.putInt(0, fd);
        pollfd.putShort(4, (short) events);
        pollfd.putShort(6, (short) 0);
        int rc = Native.libc().poll(pollfd, 1, (int) Math.min(left, Integer.MAX_VALUE));
        int err = rc < 0 ? Native.errno() : 0;
        if (err != 0 && err != Native.EINTR) {
            throw new NativeException("poll(netlink)", err);
        }
    }

    /** The number of send(2) calls this process has made on sockets of 'protocol' (for tests). */
    static long sendCalls(int protocol) {
        return SEND_CALLS.get(protocol);
    }

    /** Reserves 'n' consecutive sequence numbers, never 0 and never wrapping inside a batch. */
    private int allocateSeq(int n) {
        if (Integer.toUnsignedLong(nextSeq) + n > 0xffffffffL) {
            nextSeq = 1;
        }
        int seq = nextSeq;
        nextSeq += n;
        return seq;
    }

    /** Closes the socket; further use fails with EBADF. */
    @Override
    public void close() {
        if (fd >= 0) {
            Native.closeQuietly(fd);
            fd = -1;
        }
    }
}
