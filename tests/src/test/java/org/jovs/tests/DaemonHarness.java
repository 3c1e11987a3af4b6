package org.jovs.tests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs our real daemon (through its launcher, as users do) in a private run and log directory,
 * and the real OVS tools against it.
 *
 * <p>The daemon runs in a network namespace of its own ({@link #netns()}), created here, so that
 * the bridges and devices it makes never reach the host's; or, for a daemon on the dummy
 * datapath, which makes no device, in the caller's namespace ({@link #withoutNetns()}), which
 * needs no privilege. Every process started with this
 * harness's OVS_RUNDIR in its environment (daemon, monitor, worker, ovsdb-server) is killed in
 * {@link #close()}, which also deletes the namespace with every device in it and removes the
 * directory, so a failing test leaves nothing behind.
 */
public final class DaemonHarness implements AutoCloseable {
    /** The repository's top directory, found from the tests module's working directory. */
    public static final Path TOP = findTop();
    public static final Path LAUNCHER = TOP.resolve("vswitchd/ovs-vswitchd");
    public static final String APPCTL = "/usr/bin/ovs-appctl";

    private final Path dir;
    private final String netns;

    public DaemonHarness() throws IOException, InterruptedException {
        this(true);
    }

    private DaemonHarness(boolean ownNetns) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("jovs-test-");
        if (!ownNetns) {
            netns = null;
            return;
        }
        netns = "jovs-" + dir.getFileName().toString().substring("jovs-test-".length());
        Result r = run(30, "ip", "netns", "add", netns);
        if (r.status != 0) {
            deleteDir();
            throw new IOException("ip netns add " + netns + ": " + r);
        }
    }

    /**
     * A harness whose daemon runs in the caller's network namespace: for a daemon on the dummy
     * datapath (--enable-dummy), which creates no device, so that no root is needed.
     */
    public static DaemonHarness withoutNetns() throws IOException, InterruptedException {
        return new DaemonHarness(false);
    }

    public Path dir() {
        return dir;
    }

    /** The name of the harness's network namespace, in which the daemon runs; null without one. */
    public String netns() {
        return netns;
    }

    /** 'argv' prefixed so that it runs in the harness's network namespace. */
    public String[] inNetns(String... argv) {
        if (netns == null) {
            return argv;
        }
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        all.addAll(Arrays.asList(argv));
        return all.toArray(new String[0]);
    }

    /** Runs 'argv' in the harness's network namespace; see {@link #run}. */
    public Result runInNetns(int timeoutSec, String... argv) throws IOException, InterruptedException {
        return run(timeoutSec, inNetns(argv));
    }

    public Path pidfile() {
        return dir.resolve("ovs-vswitchd.pid");
    }

    /** The result of a finished command. */
    public static final class Result {
        public final int status;
        public final String stdout;
        public final String stderr;

        Result(int status, String stdout, String stderr) {
            this.status = status;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "status " + status + ", stdout [" + stdout + "], stderr [" + stderr + "]";
        }
    }

    /** Runs 'argv' with this harness's environment and waits up to 'timeoutSec' for it. */
    public Result run(int timeoutSec, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(argv);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(Arrays.toString(argv) + " did not finish in " + timeoutSec + " s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** A ProcessBuilder for 'argv' with OVS_RUNDIR and OVS_LOGDIR set to the private directory. */
    public ProcessBuilder builder(String... argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("OVS_RUNDIR", dir.toString());
        pb.environment().put("OVS_LOGDIR", dir.toString());
        pb.environment().put("OVS_DBDIR", dir.toString());
        pb.environment().remove("JOVS_DAEMON_STAGE");
        pb.redirectInput(new File("/dev/null"));
        return pb;
    }

    /**
     * Starts the daemon in the harness's namespace with --detach plus 'extra', and waits for the
     * launcher to return.
     */
    public Result startDetached(String... extra) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER.toString(), "--pidfile", "--detach", "--log-file"));
        argv.addAll(Arrays.asList(extra));
        return run(60, inNetns(argv.toArray(new String[0])));
    }

    /** Runs the real ovs-appctl against our daemon. */
    public Result appctl(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(APPCTL, "-t", "ovs-vswitchd"));
        argv.addAll(Arrays.asList(args));
        return run(30, argv.toArray(new String[0]));
    }

    /** The pid in the pidfile, or -1. */
    public long pidFromFile() throws IOException {
        Path p = pidfile();
        if (!Files.exists(p)) {
            return -1;
        }
        return Long.parseLong(Files.readString(p).trim());
    }

    /** Like {@link #pidFromFile()}, for lambdas: -1 on any error. */
    public long pidFromFileUnchecked() {
        try {
            return pidFromFile();
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The daemon's control socket, or null if there is none. */
    public Path ctlSocket() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ctl")).findFirst().orElse(null);
        }
    }

    /** Waits up to 'ms' for 'pid' to exit; true if it did. */
    public static boolean waitForExit(long pid, long ms) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            if (!alive(pid)) {
                return true;
            }
            Thread.sleep(20);
        }
        return !alive(pid);
    }

    /** True if 'pid' exists and is not a zombie. */
    public static boolean alive(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            return s.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Pids of live processes whose environment names this harness's directory. */
    public List<Long> ourProcesses() {
        String needle = "OVS_RUNDIR=" + dir;
        List<Long> pids = new ArrayList<>();
        File[] procs = new File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return pids;
        }
        for (File p : procs) {
            try {
                byte[] env = Files.readAllBytes(p.toPath().resolve("environ"));
                for (String kv : new String(env, StandardCharsets.UTF_8).split("\0")) {
                    if (kv.equals(needle)) {
                        long pid = Long.parseLong(p.getName());
                        if (alive(pid)) {
                            pids.add(pid);
                        }
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Gone, or not ours to read.
            }
        }
        return pids;
    }

    /** Sends 'signal' (e.g. "TERM", "KILL", "ABRT") to 'pid'. */
    public static void kill(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int round = 0; round < 50; round++) {
            List<Long> pids = ourProcesses();
            if (pids.isEmpty()) {
                break;
            }
            for (long pid : pids) {
                kill(pid, round < 10 ? "TERM" : "KILL");
            }
            Thread.sleep(100);
        }
        if (netns != null) {
            new ProcessBuilder("ip", "netns", "del", netns).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        deleteDir();
    }

    private void deleteDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path findTop() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("vswitchd/ovs-vswitchd"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository top from " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
