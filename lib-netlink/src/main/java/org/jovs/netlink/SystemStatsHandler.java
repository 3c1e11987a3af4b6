package org.jovs.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jovs.core.Dirs;
import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.worker.WorkerHandler;
import org.jovs.worker.WorkerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker handler {@value #ID}: gathers one snapshot of the system statistics
 * ({@link SystemStatsCollector}) and replies with it as a JSON object of strings, as OVS's
 * smap_to_json() writes it; the worker half of {@link SystemStats}.
 *
 * <p>The request is a JSON object naming extra processes to report, NAME to pid, where pid 0 means
 * this worker process itself; pidfiles in the run directory are reported as well. That directory
 * is the startup property {@value #RUNDIR_PROPERTY} if the main process set it, else
 * $OVS_RUNDIR or /var/run/openvswitch as for any OVS program.
 * A malformed request is answered with the snapshot without extras. Runs in the worker, blocking on
 * /proc, statvfs and TASKSTATS; its generic netlink socket is opened on first use.
 */
public final class SystemStatsHandler implements WorkerHandler {
    /** The handler id, in lib-worker's range for project modules. */
    public static final int ID = 3;
    /** Startup property: the run directory whose pidfiles name the processes to report. */
    public static final String RUNDIR_PROPERTY = "system_stats.rundir";

    private static final Logger LOG = LoggerFactory.getLogger("system_stats");

    private String rundir;
    private SystemStatsCollector collector;

    @Override
    public int id() {
        return ID;
    }

    @Override
    public void init(Map<String, String> properties) {
        rundir = properties.getOrDefault(RUNDIR_PROPERTY, Dirs.rundir());
    }

    @Override
    public void handle(WorkerRequest request) {
        if (collector == null) {
            // Opened on first use: a worker that never gathers statistics holds no netlink socket.
            collector = new SystemStatsCollector(new Taskstats(new NlSockets().executor(Netlink.NETLINK_GENERIC)),
                    Path.of(rundir != null ? rundir : Dirs.rundir()), Path.of("/etc/mtab"));
        }
        Map<String, String> stats = collector.collect(extraProcesses(request.payload()));
        if (request.wantsReply()) {
            request.reply(ByteBuffer.wrap(Json.toString(stats).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Decodes the request: NAME to pid, with pid 0 replaced by this process's. */
    static Map<String, Integer> extraProcesses(ByteBuffer payload) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (!payload.hasRemaining()) {
            return out;
        }
        byte[] b = new byte[payload.remaining()];
        payload.get(payload.position(), b);
        try {
            Object parsed = Json.parse(new String(b, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map)) {
                throw new JsonException("not an object");
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
                if (!(e.getValue() instanceof Long)) {
                    throw new JsonException("pid of " + e.getKey() + " is not an integer");
                }
                long pid = (Long) e.getValue();
                out.put((String) e.getKey(), pid == 0 ? (int) ProcessHandle.current().pid() : (int) pid);
            }
        } catch (JsonException e) {
            LOG.warn("ignoring malformed system stats request ({})", e.getMessage());
            out.clear();
        }
        return out;
    }
}
