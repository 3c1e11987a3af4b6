package org.jovs.utilities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The installed OVS daemons, run in a private directory that serves as their OVS_RUNDIR,
 * OVS_LOGDIR and OVS_DBDIR, so that tests never touch the system's. Daemons detach and write
 * pidfiles as usual; {@link #close()} stops every daemon started here by pid, waits for it to
 * exit, and removes the directory.
 */
final class RealOvs implements AutoCloseable {
    private final Path dir;
    private final List<Long> pids = new ArrayList<>();

    RealOvs() throws IOException {
        dir = Files.createTempDirectory("jovs-appctl-");
    }

    Path dir() {
        return dir;
    }

    /** The environment that points OVS programs at the private directory. */
    Map<String, String> env() {
        return Map.of("OVS_RUNDIR", dir.toString(), "OVS_LOGDIR", dir.toString(), "OVS_DBDIR", dir.toString());
    }

    /** Starts ovsdb-server on a new, empty Open_vSwitch database, listening on dir/db.sock. */
    void startOvsdbServer() throws IOException, InterruptedException {
        Path db = dir.resolve("conf.db");
        check(ProgramRun.run(List.of("ovsdb-tool", "create", db.toString(),
                "/usr/share/openvswitch/vswitch.ovsschema"), env(), dir, 30));
        start("ovsdb-server", db.toString(), "--pidfile", "--detach", "--log-file",
                "--remote=punix:" + dir.resolve("db.sock"));
    }

    /**
     * Starts ovs-vswitchd on the database of {@link #startOvsdbServer()}. With no bridges it
     * creates no datapath or device.
     */
    void startVswitchd() throws IOException, InterruptedException {
        start("ovs-vswitchd", "unix:" + dir.resolve("db.sock"), "--pidfile", "--detach", "--log-file");
    }

    private void start(String program, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(program));
        argv.addAll(List.of(args));
        ProgramRun r = ProgramRun.run(argv, env(), dir, 30);
        Path pidfile = dir.resolve(program + ".pid");
        if (Files.exists(pidfile)) {
            pids.add(Long.parseLong(Files.readString(pidfile).trim()));
        }
        check(r);
    }

    private static void check(ProgramRun r) {
        if (r.status() != 0) {
            throw new IllegalStateException("failed to start: " + r);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (long pid : pids) {
            stop(pid);
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        }
    }

    /** Sends SIGTERM to 'pid', then SIGKILL if it is still running after 5 s, and waits. */
    static void stop(long pid) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        for (int i = 0; i < 500 && running(pid); i++) {
            Thread.sleep(10);
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (int i = 0; i < 500 && running(pid); i++) {
            Thread.sleep(10);
        }
    }

    /**
     * Whether 'pid' is still running. An exited daemon can stay a zombie for a while, since its
     * parent here is an init that reaps slowly, so a zombie counts as exited.
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
