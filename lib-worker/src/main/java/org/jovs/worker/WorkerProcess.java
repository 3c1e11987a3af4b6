package org.jovs.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

import org.jovs.core.Fatal;
import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.core.natives.Native;
import org.jovs.worker.natives.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process's loop: read a request, run its handler to completion, reply if asked;
 * strictly in order, on one thread. Blocking is fine here; that is the worker's purpose.
 *
 * <p>The first message must be START, carrying the startup properties; then the handlers found by
 * ServiceLoader are initialised, the worker logs "worker process started" and sends READY. End of
 * file on a message boundary means the main process closed the channel (or exited): the worker logs "worker
 * process exiting" and exits 0. A send that fails with EPIPE or ECONNRESET means the main process
 * is gone; the worker notes it once and keeps running the requests still buffered (log lines must
 * reach the file) without sending anything more. Any other channel error, a corrupt message, an
 * unknown handler id, a failing handler or a broken reply rule ends the process with an EMER
 * message and exit status 1 (no core dump).
 *
 * <p>Acknowledgements: completed requests are acknowledged with one cumulative ACK when the worker
 * runs out of input, but at most one idle ACK per {@link #IDLE_ACK_INTERVAL_MS} so that a trickle
 * of requests does not wake the main loop once per request; during a long backlog, after every
 * {@link #ACK_EVERY} requests or {@link #ACK_BYTES} bytes, which bounds both the main process's
 * queue and the work replayed after a death. (An ACK is one sendmsg(2), about 3 us here: every
 * 1024 requests it costs the worker 3 ns per request, every 128 it measured 25 ns.) A reply
 * acknowledges its own request too.
 *
 * <p>Owns the socket (fd 0, inherited as stdin) until exit. The worker never touches the daemon's
 * pidfile.
 */
final class WorkerProcess {
    private static final Logger LOG = LoggerFactory.getLogger("worker");

    static final int ACK_EVERY = 1024;
    static final int ACK_BYTES = 256 * 1024;
    static final long IDLE_ACK_INTERVAL_MS = 10;

    private final UnixSocket sock;
    private final FrameReader reader;
    private WorkerHandler[] handlers = new WorkerHandler[64];
    private ByteBuffer tx = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
    private boolean peerGone;

    private long lastDone;
    private long lastAcked;
    private int requestsSinceAck;
    private long bytesSinceAck;
    private long lastAckTime = Long.MIN_VALUE / 2;

    /* The request being run. */
    private ByteBuffer view;
    private ByteBuffer viewOf;
    /** Reused for every request, so running one allocates nothing. */
    private final ReplyOnceRequest current = new ReplyOnceRequest() {
        @Override
        void deliverReply(ByteBuffer data, int[] replyFds) {
            sendReply(data, replyFds);
        }
    };

    WorkerProcess(int fd) {
        this.sock = new UnixSocket(fd);
        this.reader = new FrameReader(sock, Frame.REQUEST, Frame.START);
    }

    /** Runs until the channel ends; never returns. */
    void serve() {
        Map<String, String> properties = readStart();
        loadHandlers(properties);
        LOG.info("worker process started");
        Frame.putHeader(tx, 0, Frame.READY, 0, 0, 0, 0, 0);
        send(Frame.HEADER, null);
        for (;;) {
            try {
                while (reader.next()) {
                    runRequest();
                }
            } catch (CorruptChannelException e) {
                Fatal.exit(LOG, "corrupt channel from main process ({})", e.getMessage());
            }
            /* A short read drained the socket; after a full one, look again without blocking. */
            if (!reader.lastReadShort()) {
                long n = reader.fill(false);
                if (n > 0) {
                    continue;
                } else if (n != -Native.EAGAIN) {
                    channelEnded(n);
                }
            }
            if (lastDone != lastAcked) {
                /* Out of input: acknowledge, but wait a little first if we did so very recently. */
                long wait = lastAckTime + IDLE_ACK_INTERVAL_MS - TimeVal.msec();
                if (wait <= 0 || sock.poll(PollLoop.POLLIN, (int) wait) <= 0) {
                    sendAck();
                }
            }
            receive();
        }
    }

    private Map<String, String> readStart() {
        try {
            while (!reader.next()) {
                receive();
            }
        } catch (CorruptChannelException e) {
            Fatal.exit(LOG, "corrupt channel from main process ({})", e.getMessage());
        }
        if (reader.type() != Frame.START) {
            Fatal.exit(LOG, "corrupt channel from main process (first message is a {}, not start)",
                    Frame.typeName(reader.type()));
        }
        byte[] json = new byte[reader.length()];
        reader.buffer().get(reader.payloadAt(), json);
        Map<String, String> properties = new LinkedHashMap<>();
        try {
            Object parsed = Json.parse(new String(json, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map)) {
                throw new JsonException("startup properties are not an object");
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
                properties.put((String) e.getKey(), String.valueOf(e.getValue()));
            }
        } catch (JsonException e) {
            Fatal.exit(LOG, "bad startup properties ({})", e.getMessage());
        }
        return properties;
    }

    private void loadHandlers(Map<String, String> properties) {
        for (WorkerHandler h : ServiceLoader.load(WorkerHandler.class)) {
            int id = h.id();
            if (id < 1 || id > 0xffff) {
                Fatal.exit(LOG, "handler {} has id {} out of range 1..65535", h.getClass().getName(), id);
            }
            if (id >= handlers.length) {
                handlers = java.util.Arrays.copyOf(handlers, Math.max(id + 1, handlers.length * 2));
            }
            if (handlers[id] != null) {
                Fatal.exit(LOG, "handlers {} and {} share id {}", handlers[id].getClass().getName(),
                        h.getClass().getName(), id);
            }
            try {
                h.init(properties);
            } catch (Exception e) {
                Fatal.exit(LOG, "handler {} failed to initialise", h.getClass().getName(), e);
            }
            handlers[id] = h;
        }
    }

    /** Reads more input, blocking until some arrives; exits at end of file. */
    private void receive() {
        long n = reader.fill(true);
        if (n <= 0) {
            channelEnded(n);
        }
    }

    /** Exits for receive result 'n': end of file (0), or a negative errno other than EAGAIN. */
    private void channelEnded(long n) {
        /* After the main process exits, a reset (it left our acks unread) ends the stream like EOF. */
        if (n == 0 || n == -Native.ECONNRESET) {
            if (reader.atBoundary()) {
                // Debug only: OVS logs nothing when it exits, so the daemon's own last lines
                // stay the last ones in its log, as tests of OVS's read them.
                LOG.debug("worker process exiting");
                System.exit(0);
            }
            Fatal.exit(LOG, "RPC receive failed (end of file in the middle of a message)");
        }
        Fatal.exit(LOG, "RPC receive failed ({})", Native.strerror((int) -n));
    }

    private void runRequest() throws CorruptChannelException {
        if (reader.type() != Frame.REQUEST) {
            throw new CorruptChannelException("unexpected " + Frame.typeName(reader.type()) + " message");
        }
        int id = reader.handler();
        WorkerHandler h = id > 0 && id < handlers.length ? handlers[id] : null;
        if (h == null) {
            FrameReader.closeAll(reader.takeFds());
            throw new CorruptChannelException("request for unknown handler id " + Integer.toUnsignedString(id));
        }
        ByteBuffer buf = reader.buffer();
        if (viewOf != buf) {
            view = buf.duplicate();
            viewOf = buf;
        }
        int at = reader.payloadAt();
        view.limit(at + reader.length()).position(at);
        long sequence = reader.cookie();
        current.reset(id, sequence, view, reader.takeFds(), (reader.flags() & Frame.FLAG_REPLY) != 0);
        try {
            h.handle(current);
        } catch (Exception | AssertionError e) {
            Fatal.exit(LOG, "handler {} failed on request {}", id, sequence, e);
        }
        if (current.wantsReply() && !current.replied()) {
            Fatal.exit(LOG, "handler {} did not reply to request {}", id, sequence);
        }
        lastDone = sequence;
        requestsSinceAck++;
        bytesSinceAck += reader.length();
        if (requestsSinceAck >= ACK_EVERY || bytesSinceAck >= ACK_BYTES) {
            sendAck();
        }
    }

    private void sendAck() {
        Frame.putHeader(tx, 0, Frame.ACK, 0, 0, 0, 0, lastDone);
        send(Frame.HEADER, null);
        lastAcked = lastDone;
        requestsSinceAck = 0;
        bytesSinceAck = 0;
        lastAckTime = TimeVal.msec();
    }

    /** Sends the first 'len' bytes of 'tx', blocking, with 'replyFds' on the first byte. */
    private void send(int len, int[] replyFds) {
        int off = 0;
        while (off < len && !peerGone) {
            long n = sock.send(tx, off, len - off, 0, 0, off == 0 ? replyFds : null,
                    off == 0 && replyFds != null ? replyFds.length : 0, true);
            if (n == -Native.EPIPE || n == -Native.ECONNRESET) {
                /* The main process is gone; keep running buffered requests, send nothing more. */
                LOG.info("send failed ({})", Native.strerror((int) -n));
                peerGone = true;
            } else if (n < 0) {
                Fatal.exit(LOG, "send failed ({})", Native.strerror((int) -n));
            } else {
                off += (int) n;
            }
        }
    }

    /** Sends the reply to the current request; the reply-once rule was checked already. */
    private void sendReply(ByteBuffer data, int[] replyFds) {
        int len = data.remaining();
        int nFds = replyFds == null ? 0 : replyFds.length;
        if (len > Frame.MAX_PAYLOAD || nFds > UnixSocket.MAX_FDS) {
            throw new IllegalArgumentException("reply of " + len + " bytes and " + nFds + " fds is too large");
        }
        int total = Frame.HEADER + len;
        if (tx.capacity() < total) {
            tx = ByteBuffer.allocateDirect(Integer.highestOneBit(total - 1) << 1).order(ByteOrder.nativeOrder());
        }
        long sequence = current.sequence();
        Frame.putHeader(tx, 0, Frame.REPLY, nFds, len, current.handlerId(), 0, sequence);
        tx.put(Frame.HEADER, data, data.position(), len);
        send(total, nFds > 0 ? replyFds : null);
        /* The reply acknowledges this request and all before it. */
        lastAcked = sequence;
        requestsSinceAck = 0;
        bytesSinceAck = 0;
    }
}
