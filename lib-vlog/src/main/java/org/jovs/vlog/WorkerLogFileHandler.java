package org.jovs.vlog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jovs.core.json.Json;
import org.jovs.core.natives.Native;
import org.jovs.worker.WorkerHandler;
import org.jovs.worker.WorkerRequest;

/**
 * Worker handler 1: log file writes in the worker process (found there through ServiceLoader).
 * The main process's side is {@link WorkerLogFileWriter}, which defines the requests:
 *
 * <p>A request's payload is a header of two big-endian ints, the file's epoch (used only by the
 * main process's inline fallback) and flags, followed by the body: whole log lines to append, or,
 * with {@link #FLAG_SETTINGS}, vlog's configuration as JSON. An fd attached to a request is the log
 * file from then on: the handler adopts it and closes the one it had. {@link #FLAG_CLOSED} means
 * the log file was closed (vlog/close). A request that wants a reply gets an empty one once it
 * is done.
 *
 * <p>{@link #init} configures this process's vlog from the startup property {@link #PROPERTY}:
 * subprogram "worker" (so %T shows "(worker)"), the main process's levels, patterns and syslog
 * settings, and the log file, opened by name until the main process's fd arrives. The worker's own
 * messages go straight to that file, under vlog's lock, as do the main process's lines, so the two
 * never interleave within a line. A failing write (full disk) is reported once a minute on the
 * worker's console (the daemon's stderr) and syslog by this process's vlog, which is where the
 * errno is known; writing resumes with the next request that succeeds.
 */
public final class WorkerLogFileHandler implements WorkerHandler {
    /** The handler id, in the range for project modules. */
    public static final int ID = 1;
    /** Startup property holding the main process's vlog configuration (JSON). */
    public static final String PROPERTY = "vlog";

    static final int HEADER = 8;
    static final int FLAG_CLOSED = 1;
    static final int FLAG_SETTINGS = 2;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public int id() {
        return ID;
    }

    @Override
    public void init(Map<String, String> properties) throws Exception {
        VlogEngine engine = Vlog.engine();
        engine.setSubprogramName("worker");
        String settings = properties.get(PROPERTY);
        if (settings != null) {
            engine.applyWorkerSettings((Map<?, ?>) Json.parse(settings), true);
        }
    }

    @Override
    public void handle(WorkerRequest request) throws Exception {
        VlogEngine engine = Vlog.engine();
        int[] fds = request.fds();
        for (int i = 1; i < fds.length; i++) {
            Native.closeQuietly(fds[i]);
        }
        ByteBuffer p = request.payload().duplicate().order(ByteOrder.BIG_ENDIAN);
        int flags = p.getInt(p.position() + 4);
        byte[] body = body(p);
        if (fds.length > 0) {
            engine.adoptLogFile(fds[0]);
        } else if ((flags & FLAG_CLOSED) != 0) {
            engine.closeLogFile();
        }
        if ((flags & FLAG_SETTINGS) != 0) {
            engine.applyWorkerSettings(
                    (Map<?, ?>) Json.parse(new String(body, StandardCharsets.UTF_8)), false);
        } else if (body.length > 0) {
            engine.writeLines(body);
        }
        if (request.wantsReply()) {
            request.reply(EMPTY);
        }
    }

    /** The payload after the header. */
    static byte[] body(ByteBuffer payload) {
        byte[] body = new byte[payload.remaining() - HEADER];
        payload.get(payload.position() + HEADER, body);
        return body;
    }
}
