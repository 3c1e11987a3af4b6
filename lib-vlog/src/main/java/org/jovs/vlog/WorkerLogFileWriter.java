package org.jovs.vlog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.core.Coverage;
import org.jovs.core.PollLoop;
import org.jovs.core.unixctl.ReplyGate;
import org.jovs.core.json.Json;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.worker.ReplyCallback;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerHandler;
import org.jovs.worker.WorkerOptions;
import org.jovs.worker.WorkerRequest;
import org.jovs.worker.natives.UnixSocket;

/**
 * The log file route through the worker process (OVS 1.9's cbb13e8e4 and 7106bb5e7): while the
 * worker runs, log lines go to it as fire-and-forget requests to {@link WorkerLogFileHandler},
 * which write(2)s them, so the main thread never writes to the log file and never waits on the
 * disk. The fd goes with the first request after each open or reopen ({@link #fileChanged}) and
 * again to each new worker.
 *
 * <h2>Use</h2>
 * On the main thread: construct it before {@link WorkerClient#start()} (it registers handler
 * {@link WorkerLogFileHandler#ID} with policy INLINE and puts vlog's configuration in the worker's
 * startup properties), install it with {@link Vlog#setLogFileWriter} after the start, call
 * {@link #run()} after {@code WorkerClient.run()} and {@link #waitFor} just before
 * {@code WorkerClient.waitFor()} in every main loop iteration, and {@link #detach()} once the
 * worker has ended. Lines are batched: they go to the worker when 64 KiB have gathered, and in any
 * case in {@link #waitFor}, so that they leave before the loop sleeps.
 *
 * <h2>Order and the direct fallback</h2>
 * Every line joins one queue, 'pending', in log order, and leaves it from the head only, either
 * as a request or as a direct write in this process. The worker runs requests in order; when it
 * dies, the client runs each request it had not completed through the inline handler here, in
 * order, before the call that noticed the death returns (a line in flight may then be written
 * twice, never lost). So the order holds if a direct write never happens while a request of ours
 * may still be unsettled ('outstanding'). Hence:
 * <ul>
 * <li>A worker that is up gets the lines, except in a call re-entered from inside
 * {@code request()} (logging from a callback, or about the worker's death): such lines stay queued
 * behind the request being made and leave after it; they count as coverage {@code vlog_recursive}.
 * Writing them directly, as OVS 1.9 did, would put them ahead of lines still queued.
 * <li>When no worker is up, lines are written directly, but only once 'outstanding' has been
 * cleared, which happens only where no death can be half-handled: in {@link #run()} and
 * {@link #waitFor}, right after one of our own requests returned, and in {@link #detach()}. Lines
 * logged while the client is still replaying (its "worker failed" error, for one) wait in
 * 'pending' and follow the replayed ones.
 * <li>With --worker-failure=abort the client settles nothing before aborting, so
 * {@link #flush()} (EMER) writes directly at once: the fatal message reaches the file.
 * </ul>
 * A line that a killed worker left cut is ended with a newline before the next direct write.
 *
 * <h2>Fds</h2>
 * Each open of the log file is an epoch; every request carries its lines' epoch. vlog closes its
 * old fd after a reopen, but lines of the old file may still be replayed inline, so this class
 * keeps a duplicate of each epoch's fd until the reply to the first request of a later epoch
 * shows that everything before it is done (or until lines are written directly with nothing
 * outstanding). The worker gets duplicates from the client and owns them.
 *
 * <p>Threads: any thread may log (vlog calls {@link #write} under its lock); only the thread that
 * constructed this object hands lines on and touches the client. Lines logged on other threads
 * wait for the main thread's next hand-on.
 */
public final class WorkerLogFileWriter implements LogFileWriter, ReplyGate {
    /** Queued bytes that make write() hand lines on at once. */
    static final int BATCH_BYTES = 64 * 1024;
    /** How long the worker may settle nothing before replies stop waiting for the log, in ms. */
    static final long STALL_MS = 20;
    private static final int HEADER = WorkerLogFileHandler.HEADER;
    private static final Coverage.Counter VLOG_RECURSIVE = Coverage.counter("vlog_recursive");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Lines for one epoch's file, or a notice for the worker, after header space. */
    private static final class Chunk {
        final int epoch;
        final int flags;
        final byte[] buf;
        int len = HEADER;

        Chunk(int epoch, int flags, byte[] buf) {
            this.epoch = epoch;
            this.flags = flags;
            this.buf = buf;
        }

        ByteBuffer payload() {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, len).order(ByteOrder.BIG_ENDIAN);
            b.putInt(0, epoch).putInt(4, flags);
            return b;
        }
    }

    private final WorkerClient client;
    private final WorkerOptions options;
    private final VlogEngine engine;
    private final Thread owner;
    private final DirectLogFileWriter direct = new DirectLogFileWriter();

    /* Guarded by 'this': any thread may log. */
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private int pendingBytes;
    private byte[] spare;
    private int epoch;
    private final TreeMap<Integer, Integer> epochFds = new TreeMap<>();
    private boolean detached;

    private int settingsVersion;

    /* Owner thread only. */
    private boolean outstanding;
    private long fdWorkerPid = -1;
    private int fdWorkerEpoch = -1;
    private boolean workerMayHaveWritten;

    /**
     * Registers the inline fallback with 'client' and vlog's configuration with 'options'. Call on
     * the main thread, before {@link WorkerClient#start()}.
     */
    public WorkerLogFileWriter(WorkerClient client, WorkerOptions options) {
        this.client = client;
        this.options = options;
        this.engine = Vlog.engine();
        this.owner = Thread.currentThread();
        client.register(WorkerLogFileHandler.ID, new InlineHandler());
        settingsVersion = engine.settingsVersion();
        options.property(WorkerLogFileHandler.PROPERTY, Json.toString(engine.workerSettings()));
    }

    @Override
    public synchronized void fileChanged(int fd) {
        if (detached) {
            releaseEpochsBefore(Integer.MAX_VALUE);
            return;
        }
        // A new file name reaches the worker before the file does.
        refreshSettings();
        epoch++;
        int dup = -1;
        if (fd >= 0) {
            try {
                dup = UnixSocket.dupAll(new int[] {fd})[0];
                epochFds.put(epoch, dup);
            } catch (NativeException e) {
                // Out of fds: this file's lines cannot be written anywhere; vlog/reopen retries.
            }
        }
        // Tells the worker at once (its fd, or that the file is closed); the lines follow.
        pending.addLast(new Chunk(epoch, dup >= 0 ? 0 : WorkerLogFileHandler.FLAG_CLOSED,
                takeBuffer()));
    }

    @Override
    public int write(byte[] line) {
        int queued;
        synchronized (this) {
            append(line);
            queued = pendingBytes;
        }
        if (Thread.currentThread() != owner) {
            return 0;
        }
        if (client.inRequest()) {
            VLOG_RECURSIVE.inc();
        }
        if (client.isRunning() ? queued >= BATCH_BYTES : !outstanding) {
            handOn();
        }
        return 0;
    }

    /**
     * Hands every queued line to the worker, or with no worker up writes it directly, unless this
     * would break the order (see the class comment); then the lines stay queued. With the worker
     * up, "reached the file" means reached the worker, which writes everything it was sent even
     * if this process exits.
     */
    @Override
    public void flush() {
        if (Thread.currentThread() != owner) {
            return;
        }
        if (!client.isRunning() && options.failureMode() == WorkerOptions.FailureMode.ABORT) {
            outstanding = false;
        }
        handOn();
    }

    /**
     * Main loop, after {@code WorkerClient.run()}: passes vlog configuration changes to the worker
     * and hands queued lines on. Any worker death has been handled completely by now.
     */
    public void run() {
        if (!client.isRunning() && !client.inRequest()) {
            outstanding = false;
        }
        refreshSettings();
        handOn();
        client.stalledMsec();
    }

    /**
     * If vlog's configuration changed: makes it the startup configuration of future workers and
     * queues it for the current one (a direct write skips it).
     */
    private void refreshSettings() {
        int version = engine.settingsVersion();
        synchronized (this) {
            if (version == settingsVersion) {
                return;
            }
            settingsVersion = version;
        }
        String settings = Json.toString(engine.workerSettings());
        options.property(WorkerLogFileHandler.PROPERTY, settings);
        queueSettings(settings.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Main loop, just before {@code WorkerClient.waitFor()}, which sends what is queued: hands on
     * the lines logged during this iteration.
     */
    public void waitFor(PollLoop loop) {
        run();
        synchronized (this) {
            if (!pending.isEmpty()) {
                loop.immediateWake();
            }
        }
    }

    /**
     * The reply gate's mark: hands every queued line on, then marks the newest worker request.
     * Lines go to the worker in order, so once that request is settled every line logged before
     * the mark is in the file. Owner thread only. A worker stuck on the file for STALL_MS (a full
     * pipe, a hung disk) holds no reply: the lines would not arrive in time anyway, and replies
     * must stay as quick as the main loop.
     */
    @Override
    public long mark() {
        handOn();
        return client.lastRequestSeq();
    }

    @Override
    public boolean passed(long mark) {
        return client.settledThrough(mark) || client.stalledMsec() >= STALL_MS;
    }

    @Override
    public long recheckMsec() {
        return Math.max(1, STALL_MS - client.stalledMsec());
    }

    /**
     * Once the worker process has ended (after {@code WorkerClient.close()}, when it has written
     * what it was sent): writes what is queued directly and gives vlog a
     * {@link DirectLogFileWriter} again.
     */
    public void detach() {
        outstanding = false;
        synchronized (this) {
            detached = true;
        }
        Vlog.setLogFileWriter(new DirectLogFileWriter());
    }

    // ---- Queue ---------------------------------------------------------------------------------

    /**
     * Appends 'line' to the last chunk if it is for the current epoch and has room; a line longer
     * than a chunk is split (the worker could then put one of its own messages in between).
     */
    private void append(byte[] line) {
        int off = 0;
        while (off < line.length) {
            int left = line.length - off;
            Chunk c = pending.peekLast();
            if (c == null || c.epoch != epoch || c.flags != 0
                    || (c.len > HEADER && c.len + left > c.buf.length)
                    || c.len == c.buf.length) {
                c = new Chunk(epoch, 0, takeBuffer());
                pending.addLast(c);
            }
            int n = Math.min(left, c.buf.length - c.len);
            System.arraycopy(line, off, c.buf, c.len, n);
            c.len += n;
            off += n;
            pendingBytes += n;
        }
    }

    private synchronized void queueSettings(byte[] json) {
        Chunk c = new Chunk(epoch, WorkerLogFileHandler.FLAG_SETTINGS, new byte[HEADER + json.length]);
        System.arraycopy(json, 0, c.buf, HEADER, json.length);
        c.len = c.buf.length;
        pending.addLast(c);
        pendingBytes += json.length;
    }

    private byte[] takeBuffer() {
        byte[] b = spare;
        spare = null;
        return b != null ? b : new byte[HEADER + BATCH_BYTES];
    }

    private synchronized Chunk poll() {
        Chunk c = pending.pollFirst();
        if (c != null) {
            pendingBytes -= c.len - HEADER;
        }
        return c;
    }

    private synchronized void recycle(Chunk c) {
        if (c.buf.length == HEADER + BATCH_BYTES) {
            spare = c.buf;
        }
    }

    /** Owner thread: sends or writes queued chunks, oldest first, while that keeps the order. */
    private void handOn() {
        for (;;) {
            boolean running = client.isRunning();
            if (running ? client.inRequest() : outstanding) {
                return;
            }
            Chunk c = poll();
            if (c == null) {
                if (!running) {
                    synchronized (this) {
                        releaseEpochsBefore(epoch);
                    }
                }
                return;
            }
            if (running) {
                send(c);
            } else {
                if ((c.flags & WorkerLogFileHandler.FLAG_SETTINGS) == 0 && c.len > HEADER) {
                    writeHere(c.epoch, c.buf, HEADER, c.len - HEADER);
                }
                synchronized (this) {
                    releaseEpochsBefore(c.epoch);
                }
            }
            recycle(c);
        }
    }

    /** Sends 'c' to the worker, with the fd of its epoch if this worker lacks it. */
    private void send(Chunk c) {
        long pid = client.pid();
        int[] fds = null;
        ReplyCallback done = null;
        if (c.epoch != fdWorkerEpoch || pid != fdWorkerPid) {
            int fd = fdOf(c.epoch);
            fds = fd >= 0 ? new int[] {fd} : null;
            int e = c.epoch;
            // Once this is done, so is everything before it: older files are no longer needed.
            done = reply -> {
                synchronized (this) {
                    releaseEpochsBefore(e);
                }
            };
            fdWorkerEpoch = c.epoch;
            fdWorkerPid = pid;
        }
        outstanding = true;
        workerMayHaveWritten = true;
        client.request(WorkerLogFileHandler.ID, c.payload(), fds, done);
        if (!client.isRunning()) {
            // The worker died inside request(), which ran every request of ours inline (this one
            // included) before returning.
            outstanding = false;
        }
    }

    /** Appends lines of epoch 'e' to its file from this process, accounting as vlog does. */
    private void writeHere(int e, byte[] b, int off, int len) {
        int fd = fdOf(e);
        if (fd < 0) {
            return;
        }
        direct.fileChanged(fd);
        if (workerMayHaveWritten) {
            direct.checkForCutLine();
            workerMayHaveWritten = false;
        }
        int error = direct.write(b, off, len);
        long lines = 0;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                lines++;
            }
        }
        engine.reportFileWrite(error, lines);
    }

    private synchronized int fdOf(int e) {
        return epochFds.getOrDefault(e, -1);
    }

    /** Closes the fds of epochs before 'e'. Caller holds the monitor. */
    private void releaseEpochsBefore(int e) {
        Map<Integer, Integer> old = epochFds.headMap(e);
        for (int fd : old.values()) {
            Native.closeQuietly(fd);
        }
        old.clear();
    }

    /** Runs requests in this process for a dead worker: the direct write. */
    private final class InlineHandler implements WorkerHandler {
        @Override
        public int id() {
            return WorkerLogFileHandler.ID;
        }

        @Override
        public void handle(WorkerRequest request) {
            for (int fd : request.fds()) {
                Native.closeQuietly(fd);
            }
            ByteBuffer p = request.payload().duplicate().order(ByteOrder.BIG_ENDIAN);
            int e = p.getInt(p.position());
            int flags = p.getInt(p.position() + 4);
            if ((flags & WorkerLogFileHandler.FLAG_SETTINGS) == 0 && p.remaining() > HEADER) {
                byte[] body = WorkerLogFileHandler.body(p);
                writeHere(e, body, 0, body.length);
            }
            if (request.wantsReply()) {
                request.reply(EMPTY);
            }
        }
    }
}
