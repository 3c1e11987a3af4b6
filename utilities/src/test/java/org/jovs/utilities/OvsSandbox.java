package org.jovs.utilities;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A private directory that serves as OVS_RUNDIR, OVS_LOGDIR and OVS_DBDIR for the OVS daemons
 * (real, or our own) that a test starts in it, so that tests never touch the system's.
 * Daemons detach and write pidfiles as usual. {@link #close()} stops every process whose
 * environment names this directory as its OVS_RUNDIR (daemons, and any monitor or worker
 * process they started), waits for them to exit, and removes the directory.
 */
final class OvsSandbox implements AutoCloseable {
    private final Path dir;

    OvsSandbox() throws IOException {
        dir = Files.createTempDirectory("jovs-appctl-");
    }

    Path dir() {
        return dir;
    }

    /** The environment that points OVS programs at the private directory. */
    Map<String, String> env() {
        return Map.of("OVS_RUNDIR", dir.toString(), "OVS_LOGDIR", dir.toString(), "OVS_DBDIR", dir.toString());
    }

    /** Starts the real ovsdb-server on a new, empty Open_vSwitch database, on dir/db.sock. */
    void startOvsdbServer() throws IOException, InterruptedException {
        Path db = dir.resolve("conf.db");
        run("ovsdb-tool", "create", db.toString(), "/usr/share/openvswitch/vswitch.ovsschema");
        run("ovsdb-server", db.toString(), "--pidfile", "--detach", "--log-file",
                "--remote=punix:" + dir.resolve("db.sock"));
    }

    /**
     * Starts the real ovs-vswitchd on the database of {@link #startOvsdbServer()}. With no
     * bridges it creates no datapath or device.
     */
    void startVswitchd() throws IOException, InterruptedException {
        run("ovs-vswitchd", "unix:" + dir.resolve("db.sock"), "--pidfile", "--detach", "--log-file");
    }

    /** Starts a daemon through 'launcher' with --pidfile --detach --log-file and no database. */
    /**
     * Starts our daemon from 'launcher' on a configuration with no bridges: the built-in default
     * would create br0 and ovs-netdev in the host's network namespace.
     */
    void startDaemon(Path launcher) throws IOException, InterruptedException {
        Path config = dir.resolve("no-bridges.json");
        Files.writeString(config, "{\"bridges\": []}\n");
        run(launcher.toString(), "--pidfile", "--detach", "--log-file", "--config=" + config);
    }

    private void run(String... argv) throws IOException, InterruptedException {
        ProgramRun r = ProgramRun.run(List.of(argv), env(), dir, 60);
        if (r.status() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + r);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int round = 0; round < 100; round++) {
            List<ProcessHandle> ours = processes();
            if (ours.isEmpty()) {
                break;
            }
            // Ask nicely for 1 s, then insist.
            ours.forEach(round < 10 ? ProcessHandle::destroy : ProcessHandle::destroyForcibly);
            Thread.sleep(100);
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        }
    }

    /** Running processes (zombies excluded) with OVS_RUNDIR=dir in their environment. */
    private List<ProcessHandle> processes() {
        String needle = "OVS_RUNDIR=" + dir;
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String env = new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/environ")),
                        StandardCharsets.ISO_8859_1);
                if (Arrays.asList(env.split("\0")).contains(needle) && !isZombie(p.pid())) {
                    found.add(p);
                }
            } catch (IOException e) {
                // Gone meanwhile.
            }
        });
        return found;
    }

    /** An exited daemon may stay a zombie for a while, since init here reaps slowly. */
    private static boolean isZombie(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    }
}
