package org.jovs.worker;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jovs.core.Fatal;
import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.json.Json;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.worker.natives.UnixSocket;
import org.newsclub.net.unix.FileDescriptorCast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main process's side of the worker: starts the worker process (a child JVM running
 * {@link WorkerMain}) and sends it requests over a socketpair.
 *
 * <p>Why: the main loop must never block, yet some operations do (writes to regular files, Generic
 * Netlink sends). The main process delegates them to the worker. This is OVS's 2012 lib/worker,
 * extended so that the worker's death loses no work.
 *
 * <h2>Use</h2>
 * Register each handler id's {@link DeathPolicy} ({@link #register}), call {@link #start()} once,
 * then call {@link #run()} and {@link #waitFor(PollLoop)} from the main loop, and {@link #close()}
 * before exiting. Everything runs on the main thread; the class is not thread-safe.
 *
 * <h2>Requests</h2>
 * {@link #request} queues a request and returns. The worker runs requests strictly in submission
 * order, each to completion, and reply callbacks run in the same order, from {@link #run()} (or
 * from inside a blocked {@code request()}). Requests wait in memory, bounded by
 * {@link WorkerOptions#maxQueuedBytes}, until the worker acknowledges them, so a stalled worker
 * does not stall the main loop until the bound is reached. Only then does {@code request()} block,
 * in a private poll(2) on the worker socket (never the main PollLoop, which logs and so would
 * re-enter logging, OVS bug #14616), reading replies meanwhile so that neither side deadlocks.
 * {@code request()} must not be re-entered, for example from a reply callback it runs; that
 * throws IllegalStateException, and {@link #inRequest()} lets callers such as logging fall back.
 *
 * <h2>Acknowledgements and death</h2>
 * The worker acknowledges cumulatively: a reply acknowledges its request and all before it, and an
 * ACK message covers everything up to a sequence number (the worker sends one when it runs out of
 * input, and periodically while working through a backlog; see {@link WorkerProcess}). When the channel breaks (end of file,
 * error, corrupt data) the client marks the worker broken at once ({@link #isRunning()} false),
 * then either aborts (FailureMode.ABORT: EMER log and abort(3), as OVS did) or settles each
 * unacknowledged request by its handler's policy: REPLAY to the next worker, INLINE in this
 * process, or FAIL its callback. It restarts the worker after a back-off that doubles while
 * workers die without making progress. A request that is the oldest in flight at three deaths in
 * a row, each after the worker said it was ready and without progress in between, is failed instead
 * of replayed, so one poisonous request cannot kill workers forever.
 *
 * <h2>Fds</h2>
 * The client duplicates fds passed to {@code request()} (the caller keeps its originals) and keeps
 * the duplicates until the request is acknowledged, for replay. The worker socket is owned here.
 */
public final class WorkerClient {
    static final Logger LOG = LoggerFactory.getLogger("worker");

    /** Largest payload of a request or reply. */
    public static final int MAX_PAYLOAD = Frame.MAX_PAYLOAD;
    /** Most fds per request or reply. */
    public static final int MAX_FDS = UnixSocket.MAX_FDS;

    /** Unsent bytes that make request() try a write at once (fewer wait for run()). */
    private static final int FLUSH_BATCH = 64 * 1024;
    private static final int MAX_READS_PER_RUN = 64;
    private static final int POISON_STRIKES = 3;
    private static final long CLOSE_TIMEOUT_MS = 10_000;
    private static final long EXIT_FLUSH_TIMEOUT_MS = 1_000;

    private enum State {
        NEW("not started"), RUNNING("running"), RESTARTING("restarting"), CLOSED("closed");

        final String text;

        State(String text) {
            this.text = text;
        }
    }

    private static final class Registration {
        final DeathPolicy policy;
        final WorkerHandler inline;

        Registration(DeathPolicy policy, WorkerHandler inline) {
            this.policy = policy;
            this.inline = inline;
        }
    }

    private final WorkerOptions options;
    private final RequestQueue queue;
    private Registration[] registrations = new Registration[64];

    private State state = State.NEW;
    private int generation;
    private Process process;
    private long pid = -1;
    private UnixSocket sock;
    private FrameReader reader;
    private RequestQueue.Output output;
    private ByteBuffer startMessage;
    /* The worker said READY: its handlers are initialised. */
    private boolean workerReady;
    private long nextFlushAt = FLUSH_BATCH;
    private boolean inRequest;

    /* Restart state. */
    private long startedAt;
    private long restartAt;
    private int deathsWithoutProgress;
    private long suspectSeq = -1;
    private int suspectStrikes;

    /* stalledMsec(): the oldest unsettled request last seen (-1: none), and since when (real ms). */
    private long watchedSeq = -1;
    private long watchedSince;

    /* Reply callbacks due to run, in order (see runDueCallbacks()). */
    private ReplyCallback[] dueCallbacks = new ReplyCallback[16];
    private WorkerReply[] dueReplies = new WorkerReply[16];
    private int dueHead;
    private int dueCount;

    /* Statistics for show(). */
    private long nSent;
    private long nReplied;
    private long nAcked;
    private long nReplayed;
    private long nInline;
    private long nFailed;
    private long nRestarts;
    private long nBlocked;
    private String lastFailure;
    private volatile String lastExit;
    /* At the last death: the oldest unacknowledged request and the newest one sent (tests). */
    private long deathFirstUnacked;
    private long deathLastSent;

    public WorkerClient(WorkerOptions options) {
        this.options = options;
        this.queue = new RequestQueue(options.maxQueuedBytes());
    }

    /**
     * Declares handler 'id' (1..65535) with 'policy', which must not be INLINE (use
     * {@link #register(int, WorkerHandler)}). Requests may only name registered ids. Registering an
     * id again replaces its policy.
     */
    public void register(int id, DeathPolicy policy) {
        if (policy == DeathPolicy.INLINE) {
            throw new IllegalArgumentException("INLINE needs the handler to run inline");
        }
        put(id, new Registration(policy, null));
    }

    /** Declares handler 'id' with policy INLINE, run by 'inline' in this process when needed. */
    public void register(int id, WorkerHandler inline) {
        put(id, new Registration(DeathPolicy.INLINE, inline));
    }

    private void put(int id, Registration r) {
        if (id < 1 || id > 0xffff) {
            throw new IllegalArgumentException("handler id " + id + " out of range 1..65535");
        }
        if (id >= registrations.length) {
            registrations = Arrays.copyOf(registrations, Math.max(id + 1, registrations.length * 2));
        }
        registrations[id] = r;
    }

    /**
     * Starts the worker process. Call once, from the main thread, before any request.
     *
     * @throws IOException if the process cannot be started
     */
    public void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("worker already started");
        }
        spawn();
        Fatal.beforeExit(this::flushBeforeExit);
    }

    /** True if a worker process is up and not known to have failed. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** True while {@link #request} (or {@link #close()}) is executing, e.g. in a callback it runs. */
    public boolean inRequest() {
        return inRequest;
    }

    /** The current worker's pid, or -1 if none is up. */
    public long pid() {
        return state == State.RUNNING ? pid : -1;
    }

    /** Sends a request that needs no reply: the bytes between position and limit of 'payload'. */
    public void request(int handlerId, ByteBuffer payload) {
        request(handlerId, payload, null, null);
    }

    /** Sends a request; 'callback' (if not null) receives the reply. */
    public void request(int handlerId, ByteBuffer payload, ReplyCallback callback) {
        request(handlerId, payload, null, callback);
    }

    /**
     * Sends a request to handler 'handlerId' with the bytes between position and limit of
     * 'payload' (null for none; position is left unchanged) and up to 8 'fds' (null for none; the
     * worker gets duplicates, the caller keeps its originals). If 'callback' is not null the
     * handler must reply, and 'callback' runs later with the reply or a failure.
     *
     * <p>Returns at once unless the queue bound is reached; then it blocks until there is room,
     * running reply callbacks meanwhile. If no worker is up and the handler's policy is INLINE, it
     * runs the inline handler before returning.
     *
     * @throws IllegalStateException if re-entered (from a callback run by a blocked request()), or
     *         if the client is not started or closed
     * @throws IllegalArgumentException for an unregistered id, too large a payload, too many fds,
     *         or an fd that cannot be duplicated
     */
    public void request(int handlerId, ByteBuffer payload, int[] fds, ReplyCallback callback) {
        if (inRequest) {
            throw new IllegalStateException("WorkerClient.request() re-entered");
        }
        if (state == State.NEW || state == State.CLOSED) {
            throw new IllegalStateException("worker is " + state.text);
        }
        Registration reg = handlerId > 0 && handlerId < registrations.length ? registrations[handlerId] : null;
        if (reg == null) {
            throw new IllegalArgumentException("handler id " + handlerId + " is not registered");
        }
        int plen = payload == null ? 0 : payload.remaining();
        if (plen > MAX_PAYLOAD) {
            throw new IllegalArgumentException("request payload of " + plen + " bytes exceeds " + MAX_PAYLOAD);
        }
        if (fds != null && fds.length > MAX_FDS) {
            throw new IllegalArgumentException("request with " + fds.length + " fds (at most " + MAX_FDS + ")");
        }
        inRequest = true;
        try {
            int total = Frame.HEADER + plen;
            boolean blocked = false;
            for (;;) {
                if (state != State.RUNNING && reg.policy == DeathPolicy.INLINE) {
                    runInlineNow(reg, handlerId, payload, fds, callback);
                    return;
                }
                if (queue.fits(total)) {
                    break;
                }
                if (!blocked) {
                    blocked = true;
                    nBlocked++;
                }
                waitForRoom(total);
            }
            int[] dups = dupFds(fds);
            RequestQueue.Entry e = callback != null || dups != null ? new RequestQueue.Entry(callback, dups) : null;
            queue.append(handlerId, callback != null ? Frame.FLAG_REPLY : 0, payload, e);
            nSent++;
            if (state == State.RUNNING && (callback != null || queue.unsent() >= nextFlushAt)) {
                flush();
            }
        } finally {
            inRequest = false;
        }
    }

    /**
     * Does the work that needs no waiting: restarts a dead worker when its back-off has passed,
     * writes queued requests, reads replies and acknowledgements, and runs reply callbacks.
     */
    public void run() {
        if (state == State.NEW || state == State.CLOSED) {
            return;
        }
        if (state == State.RESTARTING && TimeVal.msec() >= restartAt) {
            restart();
        }
        if (state == State.RUNNING) {
            flush();
        }
        if (state == State.RUNNING) {
            readAndDispatch();
        }
        deliverResolved();
    }

    /**
     * Registers what should wake the main loop: the worker socket (readable, and writable while
     * queued bytes remain unsent), or the restart timer.
     *
     * <p>It also hands bytes queued during this iteration to the socket (one non-blocking write, no
     * callbacks), so that requests leave before the loop sleeps instead of costing an extra
     * iteration; a write error is left for {@link #run()}, which meets it again.
     */
    public void waitFor(PollLoop loop) {
        if (state == State.RUNNING) {
            if (startMessage != null || queue.unsent() > 0) {
                long rc = send();
                if (rc != 0 && rc != -Native.EAGAIN) {
                    loop.immediateWake();
                }
            }
            int events = PollLoop.POLLIN;
            if (startMessage != null || queue.unsent() > 0) {
                events |= PollLoop.POLLOUT;
            }
            loop.fdWait(sock.fd(), events, "worker");
        } else if (state == State.RESTARTING) {
            loop.timerWaitUntil(restartAt);
        }
        if (dueCount > 0 || (!queue.isEmpty() && !queue.inRing(0))) {
            loop.immediateWake();
        }
    }

    /**
     * Hands every queued request to the worker's socket (waiting up to 10 s, reading replies
     * meanwhile; callbacks that run here cannot submit requests), then closes the socket. The
     * worker runs what is buffered and exits when it reaches end of file. Pending reply callbacks
     * are not called. Idempotent.
     */
    public void close() {
        if (state == State.CLOSED || state == State.NEW) {
            state = State.CLOSED;
            return;
        }
        if (state == State.RESTARTING && queue.unsent() > 0) {
            restart();
        }
        drain(CLOSE_TIMEOUT_MS);
        if (state == State.RUNNING && (startMessage != null || queue.unsent() > 0)) {
            LOG.warn("closing the worker channel with {} bytes of requests unsent", queue.unsent());
        }
        closeChannel();
        queue.closeFds();
        state = State.CLOSED;
    }

    /** The text of unixctl "worker/show". */
    public String show() {
        StringBuilder sb = new StringBuilder();
        sb.append("worker process: ");
        if (pid > 0) {
            sb.append("pid ").append(pid).append(", ");
        }
        sb.append(state.text);
        if (state == State.RESTARTING) {
            sb.append(" in ").append(Math.max(0, restartAt - TimeVal.msec())).append(" ms");
        }
        sb.append('\n');
        sb.append("requests: ").append(nSent).append(" sent, ").append(nReplied).append(" replied, ")
                .append(nAcked).append(" acknowledged\n");
        sb.append("queue: ").append(queue.size()).append(" requests, ").append(queue.queuedBytes())
                .append(" bytes (").append(queue.unsent()).append(" unsent, limit ")
                .append(options.maxQueuedBytes()).append(")\n");
        sb.append("after failures: ").append(nReplayed).append(" replayed, ").append(nInline)
                .append(" run inline, ").append(nFailed).append(" failed\n");
        sb.append("blocked requests: ").append(nBlocked).append('\n');
        sb.append("restarts: ").append(nRestarts).append('\n');
        sb.append("last failure: ").append(lastFailure == null ? "none" : lastFailure).append('\n');
        String exit = lastExit;
        if (exit != null) {
            sb.append("last exit: ").append(exit).append('\n');
        }
        return sb.toString();
    }

    /**
     * The sequence number of the newest request made so far (0 before any). Requests are
     * settled in order, so with {@link #settledThrough} a caller can tell when everything it
     * asked for up to some point is done.
     */
    public long lastRequestSeq() {
        return queue.lastSeq();
    }

    /** True once every request up to sequence number 'seq' is settled: acknowledged, run inline, or failed. */
    public boolean settledThrough(long seq) {
        return queue.firstSeq() > seq;
    }

    /**
     * How long the oldest waiting request has stayed unsettled, in real ms, as far as calls to
     * this method have seen (0 if none waits): a worker stuck in a blocking call shows here. Each
     * call observes the queue's head, so a caller that wants the measure close calls it every main
     * loop iteration.
     */
    public long stalledMsec() {
        long now = TimeVal.realMsec();
        if (queue.isEmpty()) {
            watchedSeq = -1;
            return 0;
        }
        if (queue.firstSeq() != watchedSeq) {
            watchedSeq = queue.firstSeq();
            watchedSince = now;
        }
        return now - watchedSince;
    }

    /* ---- Test hooks (package-private). ---- */

    long restarts() {
        return nRestarts;
    }

    long blockedRequests() {
        return nBlocked;
    }

    int queuedRequests() {
        return queue.size();
    }

    long acknowledged() {
        return nAcked;
    }

    String lastExit() {
        return lastExit;
    }

    /** The worker socket's fd, or -1 (for the benchmark, which waits on it without a PollLoop). */
    int socketFd() {
        return sock != null ? sock.fd() : -1;
    }

    /** The sequence numbers that may have run twice because of the last death. */
    long[] lastDeathWindow() {
        return new long[] {deathFirstUnacked, deathLastSent};
    }

    /** Sends everything queued, then writes 'bytes' raw into the channel, as a corrupt sender would. */
    void injectRawForTest(byte[] bytes) {
        drain(CLOSE_TIMEOUT_MS);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(0, bytes);
        int off = 0;
        while (off < bytes.length && state == State.RUNNING) {
            long n = sock.send(b, off, bytes.length - off, 0, 0, null, 0, true);
            if (n < 0) {
                break;
            }
            off += (int) n;
        }
    }

    /* ---- Starting. ---- */

    private void spawn() throws IOException {
        ByteBuffer start = encodeStart(options.properties());
        int[] pair = UnixSocket.socketpair();
        int parentEnd = pair[0];
        int childEnd = pair[1];
        Process p;
        try {
            Native.setNonBlocking(parentEnd);
            ProcessBuilder pb = new ProcessBuilder(command());
            pb.redirectInput(FileDescriptorCast.unsafeUsing(childEnd).as(Redirect.class));
            Redirect out = options.output();
            pb.redirectOutput(out != null ? out : FileDescriptorCast.using(FileDescriptor.err).as(Redirect.class));
            pb.redirectErrorStream(true);
            p = pb.start();
        } catch (IOException | RuntimeException e) {
            Native.closeQuietly(parentEnd);
            throw e;
        } finally {
            /* Plain close(2): junixsocket's close() would shut the socket down for the child too. */
            Native.closeQuietly(childEnd);
        }
        process = p;
        pid = p.pid();
        long thisPid = pid;
        p.onExit().thenAccept(done -> lastExit = "pid " + thisPid + " " + describeExit(done.exitValue()));
        sock = new UnixSocket(parentEnd);
        UnixSocket s = sock;
        output = (buf, off1, len1, off2, len2, fds, nFds) -> s.send(buf, off1, len1, off2, len2, fds, nFds, false);
        reader = new FrameReader(sock, Frame.READY, Frame.REPLY, Frame.ACK);
        workerReady = false;
        startMessage = start;
        generation++;
        state = State.RUNNING;
        startedAt = TimeVal.msec();
        nextFlushAt = FLUSH_BATCH;
        flush();
    }

    private List<String> command() {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xms8m", "-Xmx96m",
                "-Xshare:auto", "-XX:-UsePerfData"));
        cmd.addAll(options.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        /* Shown by ps, as OVS's proctitle was. */
        cmd.addAll(List.of("worker", "process", "for", "pid", String.valueOf(ProcessHandle.current().pid())));
        return cmd;
    }

    private static ByteBuffer encodeStart(Map<String, String> properties) {
        byte[] json = Json.toString(properties).getBytes(StandardCharsets.UTF_8);
        if (json.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("worker startup properties exceed " + MAX_PAYLOAD + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocateDirect(Frame.HEADER + json.length).order(ByteOrder.nativeOrder());
        Frame.putHeader(b, 0, Frame.START, 0, json.length, 0, 0, 0);
        b.put(Frame.HEADER, json);
        return b;
    }

    private void restart() {
        /* A failed spawn counts as a worker that died at once, for the back-off. */
        startedAt = TimeVal.msec();
        try {
            spawn();
            nRestarts++;
            LOG.info("started worker process {} (restart {})", pid, nRestarts);
        } catch (IOException | RuntimeException e) {
            lastFailure = "cannot start worker process: " + e.getMessage();
            scheduleRestart();
            LOG.error("{}; retrying in {} ms", lastFailure, restartAt - TimeVal.msec());
        }
    }

    private void scheduleRestart() {
        long now = TimeVal.msec();
        if (now - startedAt >= options.maxBackoffMs()) {
            deathsWithoutProgress = 0;
        }
        deathsWithoutProgress++;
        long delay = options.minBackoffMs() << Math.min(deathsWithoutProgress - 1, 20);
        restartAt = now + Math.min(delay, options.maxBackoffMs());
        state = State.RESTARTING;
    }

    /* ---- Sending. ---- */

    /** Writes what the socket takes, without blocking. */
    private void flush() {
        long rc = send();
        if (rc == -Native.EAGAIN || rc == 0) {
            return;
        }
        workerDied("send failed (" + Native.strerror((int) -rc) + ")", false);
    }

    /**
     * Writes what the socket takes, without blocking and without reacting to errors.
     *
     * @return 0 if everything is sent, -EAGAIN if the socket is full, or another negative errno
     */
    private long send() {
        long rc = 0;
        if (startMessage != null) {
            ByteBuffer m = startMessage;
            rc = sock.send(m, m.position(), m.remaining(), 0, 0, null, 0, false);
            if (rc >= 0) {
                m.position(m.position() + (int) rc);
                rc = m.hasRemaining() ? -Native.EAGAIN : 0;
                if (rc == 0) {
                    startMessage = null;
                }
            }
        }
        if (rc == 0) {
            rc = queue.flush(output);
        }
        nextFlushAt = rc == -Native.EAGAIN ? queue.unsent() + FLUSH_BATCH : FLUSH_BATCH;
        return rc;
    }

    /**
     * Inside request(): makes progress towards room for 'total' more bytes, blocking (in a private
     * poll, or until the restart time) at most once.
     */
    private void waitForRoom(int total) {
        if (state == State.RUNNING) {
            flush();
        }
        if (state == State.RUNNING) {
            readAndDispatch();
        }
        deliverResolved();
        if (queue.fits(total)) {
            return;
        }
        if (state == State.RUNNING) {
            int events = PollLoop.POLLIN | (startMessage != null || queue.unsent() > 0 ? PollLoop.POLLOUT : 0);
            int rc = sock.poll(events, -1);
            if (rc < 0 && rc != -Native.EINTR) {
                workerDied("poll failed (" + Native.strerror(-rc) + ")", false);
            }
        } else if (state == State.RESTARTING) {
            long wait = restartAt - TimeVal.msec();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            restart();
        }
    }

    /** Flushes and reads until nothing is unsent or 'timeoutMs' passes; callbacks cannot request. */
    private void drain(long timeoutMs) {
        boolean wasInRequest = inRequest;
        inRequest = true;
        try {
            // Real time, not TimeVal.msec(): a test's stopped clock must not make this wait forever.
            long deadline = TimeVal.realMsec() + timeoutMs;
            while (state == State.RUNNING) {
                flush();
                if (state != State.RUNNING || (startMessage == null && queue.unsent() == 0)) {
                    break;
                }
                readAndDispatch();
                long left = deadline - TimeVal.realMsec();
                if (left <= 0 || state != State.RUNNING) {
                    break;
                }
                int rc = sock.poll(PollLoop.POLLIN | PollLoop.POLLOUT, (int) Math.min(left, Integer.MAX_VALUE));
                if (rc < 0 && rc != -Native.EINTR) {
                    workerDied("poll failed (" + Native.strerror(-rc) + ")", false);
                }
            }
        } finally {
            inRequest = wasInRequest;
        }
    }

    private void flushBeforeExit() {
        if (state == State.RUNNING && !inRequest) {
            drain(EXIT_FLUSH_TIMEOUT_MS);
        }
    }

    /* ---- Receiving. ---- */

    private void readAndDispatch() {
        int gen = generation;
        for (int i = 0; i < MAX_READS_PER_RUN; i++) {
            if (!parseAll(gen)) {
                return;
            }
            long n = reader.fill(false);
            if (n == -Native.EAGAIN) {
                return;
            } else if (n == 0) {
                workerDied("receive from worker failed (End of file)", false);
                return;
            } else if (n < 0) {
                workerDied("receive from worker failed (" + Native.strerror((int) -n) + ")", false);
                return;
            }
            if (reader.lastReadShort()) {
                parseAll(gen);
                return;
            }
        }
    }

    /** Handles every complete message buffered; false if the worker died meanwhile. */
    private boolean parseAll(int gen) {
        try {
            while (generation == gen && reader.next()) {
                int type = reader.type();
                if (!workerReady) {
                    if (type != Frame.READY) {
                        throw new CorruptChannelException(Frame.typeName(type) + " before ready");
                    }
                    workerReady = true;
                } else if (type == Frame.ACK) {
                    handleAck(reader.cookie());
                } else if (type == Frame.REPLY) {
                    handleReply(reader);
                } else {
                    throw new CorruptChannelException("second ready message");
                }
                runDueCallbacks();
            }
        } catch (CorruptChannelException e) {
            if (generation == gen) {
                workerDied("protocol error from worker (" + e.getMessage() + ")", true);
            }
            return false;
        }
        return generation == gen;
    }

    private void handleAck(long seq) throws CorruptChannelException {
        if (seq > queue.lastSeq() || seq < queue.firstSeq() - 1) {
            throw new CorruptChannelException("acknowledgement of request " + seq + ", which is not outstanding");
        }
        completeThrough(seq, seq);
    }

    /**
     * Pops every record up to 'last', which the worker reports complete by its reply to or
     * acknowledgement of request 'reported'.
     */
    private void completeThrough(long last, long reported) throws CorruptChannelException {
        while (!queue.isEmpty() && queue.firstSeq() <= last) {
            int n = queue.popPlain(last);
            if (n > 0) {
                nAcked += n;
                madeProgress();
            } else {
                popCompleted(reported);
            }
        }
    }

    private void handleReply(FrameReader r) throws CorruptChannelException {
        long seq = r.cookie();
        int[] fds = r.takeFds();
        try {
            if (seq < queue.firstSeq() || seq > queue.lastSeq()) {
                throw new CorruptChannelException("reply to request " + seq + ", which is not outstanding");
            }
            completeThrough(seq - 1, seq);
            RequestQueue.Entry e = queue.entryAt(0);
            if (!queue.fullySent(0) || e == null || e.callback == null || queue.handlerAt(0) != r.handler()) {
                throw new CorruptChannelException("unexpected reply to request " + seq + " from handler "
                        + r.handler());
            }
            queue.pop();
            nAcked++;
            nReplied++;
            madeProgress();
            enqueueDue(e.callback, WorkerReply.success(seq, r.handler(), r.buffer().slice(r.payloadAt(), r.length()),
                    fds));
            fds = null;
        } finally {
            FrameReader.closeAll(fds);
        }
    }

    /**
     * Pops the oldest record, which the worker reports complete by a reply or acknowledgement of
     * 'seq': it must have been sent, and must not be waiting for a reply of its own.
     */
    private void popCompleted(long seq) throws CorruptChannelException {
        if (!queue.inRing(0)) {
            enqueueResolved(queue.pop());
            return;
        }
        RequestQueue.Entry e = queue.entryAt(0);
        if (!queue.fullySent(0) || (e != null && e.callback != null)) {
            throw new CorruptChannelException("worker reported request " + seq + " complete before request "
                    + queue.firstSeq() + (queue.fullySent(0) ? " replied" : " was sent"));
        }
        queue.pop();
        nAcked++;
        madeProgress();
    }

    private void madeProgress() {
        deathsWithoutProgress = 0;
        suspectStrikes = 0;
    }

    /* ---- Running callbacks in order. ---- */

    /** Pops settled records at the head of the queue and runs their callbacks. */
    private void deliverResolved() {
        while (!queue.isEmpty() && !queue.inRing(0)) {
            enqueueResolved(queue.pop());
        }
        runDueCallbacks();
    }

    private void enqueueResolved(RequestQueue.Entry e) {
        if (e != null && e.callback != null) {
            enqueueDue(e.callback, e.result);
        }
    }

    private void enqueueDue(ReplyCallback cb, WorkerReply reply) {
        if (dueCount == dueCallbacks.length) {
            int n = dueCallbacks.length;
            ReplyCallback[] c = new ReplyCallback[n * 2];
            WorkerReply[] r = new WorkerReply[n * 2];
            for (int i = 0; i < dueCount; i++) {
                c[i] = dueCallbacks[(dueHead + i) % n];
                r[i] = dueReplies[(dueHead + i) % n];
            }
            dueCallbacks = c;
            dueReplies = r;
            dueHead = 0;
        }
        int slot = (dueHead + dueCount) % dueCallbacks.length;
        dueCallbacks[slot] = cb;
        dueReplies[slot] = reply;
        dueCount++;
    }

    /**
     * Runs due callbacks in order. A callback may call request(), which may read more replies
     * and come back here: the shared FIFO keeps the order, and the reader stays pinned so that
     * payloads handed out remain valid.
     */
    private void runDueCallbacks() {
        if (dueCount == 0) {
            return;
        }
        FrameReader r = reader;
        if (r != null) {
            r.pin();
        }
        try {
            while (dueCount > 0) {
                ReplyCallback cb = dueCallbacks[dueHead];
                WorkerReply reply = dueReplies[dueHead];
                dueCallbacks[dueHead] = null;
                dueReplies[dueHead] = null;
                dueHead = (dueHead + 1) % dueCallbacks.length;
                dueCount--;
                cb.onReply(reply);
            }
        } finally {
            if (r != null) {
                r.unpin();
            }
        }
    }

    /* ---- Death. ---- */

    private void workerDied(String reason, boolean kill) {
        if (state != State.RUNNING) {
            return;
        }
        long deadPid = pid;
        Process deadProcess = process;
        closeChannel();
        lastFailure = reason;
        if (kill) {
            deadProcess.destroyForcibly();
        }
        if (options.failureMode() == WorkerOptions.FailureMode.ABORT) {
            state = State.CLOSED;
            Fatal.abort(LOG, "{}", reason);
            return;
        }
        scheduleRestart();
        LOG.error("worker process {} failed: {}; restarting it in {} ms", deadPid, reason,
                restartAt - TimeVal.msec());
        deathFirstUnacked = queue.firstSeq();
        deathLastSent = queue.lastPartlySentSeq();
        settleAfterDeath(reason);
    }

    private void closeChannel() {
        generation++;
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (sock != null) {
            sock.close();
            sock = null;
        }
        output = null;
        startMessage = null;
    }

    /** Applies each unacknowledged request's policy after a death; see the class comment. */
    private void settleAfterDeath(String reason) {
        int n = queue.size();
        boolean[] keep = new boolean[n];
        long poison = findPoison();
        List<InlineRequest> inline = new ArrayList<>();
        List<RequestQueue.Entry> inlineEntries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!queue.inRing(i)) {
                continue;
            }
            long seq = queue.firstSeq() + i;
            int handlerId = queue.handlerAt(i);
            Registration reg = registrations[handlerId];
            RequestQueue.Entry e = queue.entryAt(i);
            DeathPolicy policy = reg.policy;
            if (seq == poison && policy == DeathPolicy.REPLAY) {
                LOG.warn("request {} to handler {} was the oldest in flight at {} worker deaths in a row; "
                        + "giving up on it", seq, handlerId, POISON_STRIKES);
                policy = DeathPolicy.FAIL;
            }
            switch (policy) {
            case REPLAY:
                keep[i] = true;
                nReplayed++;
                break;
            case INLINE:
                boolean wantsReply = e != null && e.callback != null;
                int[] fds = e != null ? e.fds : null;
                if (e != null) {
                    e.fds = null;
                }
                inline.add(new InlineRequest(handlerId, seq, queue.payloadCopy(i), fds, wantsReply));
                inlineEntries.add(e);
                nInline++;
                break;
            default:
                if (e != null) {
                    FrameReader.closeAll(e.fds);
                    e.fds = null;
                    if (e.callback != null) {
                        e.result = WorkerReply.failure(seq, handlerId, "worker failed: " + reason);
                    }
                }
                nFailed++;
                break;
            }
        }
        queue.rebuild(keep);
        /* Inline handlers run with request() locked out, so that nothing observes a record whose
         * inline result is still missing. */
        boolean wasInRequest = inRequest;
        inRequest = true;
        try {
            for (int i = 0; i < inline.size(); i++) {
                InlineRequest r = inline.get(i);
                WorkerReply result = r.runWith(registrations[r.handlerId()].inline);
                RequestQueue.Entry e = inlineEntries.get(i);
                if (e != null) {
                    e.result = result;
                }
            }
        } finally {
            inRequest = wasInRequest;
        }
    }

    /**
     * Returns the sequence number of the oldest request that was in flight at this and the
     * previous two deaths with no progress in between, or -1.
     */
    private long findPoison() {
        if (!workerReady) {
            /* It died while starting up: no request is to blame. */
            return -1;
        }
        for (int i = 0; i < queue.size(); i++) {
            if (queue.inRing(i)) {
                if (!queue.partlySent(i)) {
                    return -1;
                }
                long seq = queue.firstSeq() + i;
                if (seq == suspectSeq) {
                    suspectStrikes++;
                } else {
                    suspectSeq = seq;
                    suspectStrikes = 1;
                }
                return suspectStrikes >= POISON_STRIKES ? seq : -1;
            }
        }
        return -1;
    }

    private void runInlineNow(Registration reg, int handlerId, ByteBuffer payload, int[] fds, ReplyCallback callback) {
        int[] dups = dupFds(fds);
        RequestQueue.Entry e = callback != null ? new RequestQueue.Entry(callback, null) : null;
        long seq = queue.appendResolved(handlerId, e);
        ByteBuffer copy = payload == null ? ByteBuffer.allocate(0) : payload.slice();
        InlineRequest r = new InlineRequest(handlerId, seq, copy, dups, callback != null);
        WorkerReply result = r.runWith(reg.inline);
        if (e != null) {
            e.result = result;
        }
        nSent++;
        nInline++;
    }

    static int[] dupFds(int[] fds) {
        try {
            return UnixSocket.dupAll(fds);
        } catch (NativeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String describeExit(int status) {
        if (status > 128 && status < 128 + 65) {
            return "killed by signal " + (status - 128);
        }
        return "exited with status " + status;
    }
}
