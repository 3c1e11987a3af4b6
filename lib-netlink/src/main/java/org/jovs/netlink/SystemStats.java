package org.jovs.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.worker.DeathPolicy;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main process's side of the system statistics (the Open_vSwitch "statistics" column), as OVS
 * ran them through its worker in 2012 (vswitchd/system-stats.c at 35a22d8c1): every
 * {@value #INTERVAL_MS} ms while enabled, a request to {@link SystemStatsHandler} (worker handler
 * {@value SystemStatsHandler#ID}), which gathers the snapshot and replies with it.
 *
 * <p>States: DISABLED (nothing going on), WAITING (until the next refresh time), REQUEST_SENT (the
 * worker is gathering), REPLY_RECEIVED (a snapshot or a failure arrived; {@link #run()} takes it
 * and starts the next interval, or drops it and goes DISABLED if stats were disabled meanwhile).
 * {@link #waitFor} sets the refresh timer in WAITING and wakes at once in REPLY_RECEIVED; in
 * REQUEST_SENT the worker client's own wait wakes the loop when the reply arrives.
 *
 * <p>Use from the main thread: {@link #enable}, then {@link #run()} and {@link #waitFor} in the main
 * loop, and {@link #poll()} for each new snapshot, which the bridge writes to the database. The
 * worker client must be started before the first {@code run()} with stats enabled.
 *
 * <p>Death policy {@link DeathPolicy#REPLAY}: gathering has no side effects, so a request lost
 * with a dead worker is simply run by the next one. If the worker client gives up on it (the
 * request was in flight at three deaths in a row), the failure is logged and the next interval
 * starts, so the machine never sticks in REQUEST_SENT.
 */
public final class SystemStats {
    /** How often a snapshot is taken while enabled, as in OVS. */
    public static final long INTERVAL_MS = 5 * 1000;

    private static final Logger LOG = LoggerFactory.getLogger("system_stats");

    enum State {
        DISABLED, WAITING, REQUEST_SENT, REPLY_RECEIVED
    }

    private final WorkerClient worker;
    private final ByteBuffer request;
    private boolean enabled;
    private State state = State.DISABLED;
    /* In WAITING: when to send the next request. */
    private long nextRefresh;
    /* In REPLY_RECEIVED: the snapshot, or null after a failure. */
    private Map<String, String> received;
    /* The newest snapshot that poll() has not returned yet. */
    private Map<String, String> latest;

    /**
     * Sends requests through 'worker', registering handler {@value SystemStatsHandler#ID} (policy
     * REPLAY). Besides the pidfiles in the run directory, each snapshot reports this process as
     * process_'program' and the worker as process_'program'-worker.
     */
    public SystemStats(WorkerClient worker, String program) {
        this.worker = worker;
        worker.register(SystemStatsHandler.ID, DeathPolicy.REPLAY);
        Map<String, Object> processes = new LinkedHashMap<>();
        processes.put(program, ProcessHandle.current().pid());
        processes.put(program + "-worker", 0L);
        this.request = ByteBuffer.wrap(Json.toString(processes).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Enables or disables the statistics. Enabling starts a snapshot at once; disabling stops the
     * timer, and a request already with the worker is finished and its reply dropped.
     */
    public void enable(boolean enable) {
        if (enable == enabled) {
            return;
        }
        if (enable && state == State.DISABLED) {
            state = State.WAITING;
            nextRefresh = TimeVal.msec();
        } else if (!enable && state == State.WAITING) {
            state = State.DISABLED;
        }
        enabled = enable;
    }

    /** Sends the request when it is due, and takes a received snapshot for {@link #poll()}. */
    public void run() {
        switch (state) {
        case WAITING:
            if (TimeVal.msec() >= nextRefresh) {
                state = State.REQUEST_SENT;
                worker.request(SystemStatsHandler.ID, request.duplicate(), this::replied);
            }
            break;
        case REPLY_RECEIVED:
            if (enabled) {
                state = State.WAITING;
                nextRefresh = TimeVal.msec() + INTERVAL_MS;
                if (received != null) {
                    latest = received;
                }
            } else {
                state = State.DISABLED;
            }
            received = null;
            break;
        default:
            break;
        }
    }

    /** Makes the loop wake when {@link #run()} has something to do. */
    public void waitFor(PollLoop loop) {
        if (state == State.WAITING) {
            loop.timerWaitUntil(nextRefresh);
        } else if (state == State.REPLY_RECEIVED) {
            loop.immediateWake();
        }
    }

    /** The newest snapshot, once (later calls return null until the next one), or null if none is new. */
    public Map<String, String> poll() {
        Map<String, String> s = latest;
        latest = null;
        return s;
    }

    State state() {
        return state;
    }

    private void replied(WorkerReply reply) {
        received = null;
        if (!reply.ok()) {
            LOG.warn("system statistics request failed ({})", reply.error());
        } else {
            try {
                received = decode(reply.payload());
            } catch (JsonException e) {
                LOG.warn("malformed system statistics from the worker ({})", e.getMessage());
            }
        }
        state = State.REPLY_RECEIVED;
    }

    /** Decodes the handler's JSON object of strings, as OVS's smap_from_json(). */
    static Map<String, String> decode(ByteBuffer payload) throws JsonException {
        byte[] b = new byte[payload.remaining()];
        payload.get(payload.position(), b);
        Object parsed = Json.parse(new String(b, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map)) {
            throw new JsonException("statistics are not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new JsonException("statistic " + e.getKey() + " is not a string");
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }
}
