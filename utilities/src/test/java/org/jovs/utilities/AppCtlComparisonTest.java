package org.jovs.utilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.jovs.core.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real /usr/bin/ovs-appctl and our utilities/ovs-appctl launcher with the same
 * arguments and environment, one after the other, and requires the same standard output,
 * standard error and exit status, for a table of invocations: commands with answers and with
 * errors, every way of naming the target, bad pidfiles, failed connections, timeouts, usage
 * errors and the logging options.
 *
 * <p>A subclass starts the daemon to talk to in {@link #startDaemon}: the table only uses
 * commands every OVS daemon has, so the same table runs against real OVS daemons and our own.
 * Only what must differ is normalized: log timestamps, argv[0] at the start of getopt's
 * messages, our --version's jovs line, and coverage counts, which change between the two runs.
 * Some rows need a server that misbehaves, which no real daemon does; those use a listening
 * socket in this test (a fake, and the only one) that answers with canned bytes or not at all.
 *
 * <p>Tagged "launcher": Maven runs it in the package phase, once the launcher's jar exists.
 */
@Tag("launcher")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppCtlComparisonTest {
    static final String REAL = "/usr/bin/ovs-appctl";
    static final String OURS = Path.of("ovs-appctl").toAbsolutePath().toString();

    private Daemon daemon;

    /** A running daemon for the table: its program name (-t NAME) and its private directory. */
    interface Daemon extends AutoCloseable {
        String name();

        /** The daemon's OVS_RUNDIR, which is also its log and database directory. */
        Path dir();

        /** The environment that points OVS programs at dir(). */
        Map<String, String> env();
    }

    /** Starts the daemon under test in a private directory; closing it stops it and cleans up. */
    protected abstract Daemon startDaemon() throws Exception;

    /**
     * A new sandbox in which 'start' starts the daemon whose program name is 'name'; the
     * sandbox is cleaned up if that fails.
     */
    static Daemon inSandbox(String name, SandboxStart start) throws Exception {
        OvsSandbox sandbox = new OvsSandbox();
        try {
            start.accept(sandbox);
        } catch (Exception e) {
            sandbox.close();
            throw e;
        }
        return new Daemon() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Path dir() {
                return sandbox.dir();
            }

            @Override
            public Map<String, String> env() {
                return sandbox.env();
            }

            @Override
            public void close() throws Exception {
                sandbox.close();
            }
        };
    }

    /** Starts daemons in a sandbox. */
    @FunctionalInterface
    interface SandboxStart {
        void accept(OvsSandbox sandbox) throws Exception;
    }

    @BeforeAll
    void start() throws Exception {
        daemon = startDaemon();
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** How two runs must agree. */
    enum Comparison {
        /** Identical, after normalizing timestamps and argv[0]. */
        EXACT,
        /** As EXACT, except that our --version adds a line saying it is jovs. */
        VERSION,
        /** As EXACT for status and stderr; stdout has coverage/show's shape and counters. */
        COVERAGE
    }

    /** Something a row needs in the run directory while both programs run. */
    @FunctionalInterface
    interface Fixture {
        AutoCloseable set(Path dir) throws Exception;
    }

    /**
     * One row: 'args' may use {NAME} (the daemon's program name), {DIR} (its run directory) and
     * {CTL} (its control socket). With 'logFile', both programs' log files, {DIR}/appctl*.log,
     * must match too.
     */
    record Case(String name, Comparison comparison, Fixture fixture, Map<String, String> env, boolean logFile,
                List<String> args) {
        Case with(Fixture f) {
            return new Case(name, comparison, f, env, logFile, args);
        }

        Case env(String key, String value) {
            Map<String, String> e = new HashMap<>(env);
            e.put(key, value);
            return new Case(name, comparison, fixture, e, logFile, args);
        }

        Case comparingLogFile() {
            return new Case(name, comparison, fixture, env, true, args);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case row(String name, String... args) {
        return row(name, Comparison.EXACT, args);
    }

    static Case row(String name, Comparison comparison, String... args) {
        return new Case(name, comparison, dir -> () -> { }, Map.of(), false, List.of(args));
    }

    /** A silent server at {DIR}/silent.ctl. */
    private static final Fixture SILENT = dir -> silentServer(dir.resolve("silent.ctl"));

    /** A server at {DIR}/canned.ctl that answers with 'reply'. */
    private static Fixture canned(String reply) {
        return dir -> cannedServer(dir.resolve("canned.ctl"), reply);
    }

    static Stream<Case> table() {
        return Stream.of(
                row("version", "-t", "{NAME}", "version"),
                row("version, default target", "version"),
                row("list-commands", "-t", "{NAME}", "list-commands"),
                row("coverage/show", Comparison.COVERAGE, "-t", "{NAME}", "coverage/show"),
                row("no such command", "-t", "{NAME}", "no-such-cmd"),
                row("non-ASCII command name", "-t", "{NAME}", "no-such-cmd-\u00e9\u4e2d"),
                row("non-ASCII command name in the C locale", "-t", "{NAME}", "no-such-cmd-\u00e9\u4e2d")
                        .env("LC_ALL", "C").env("LANG", "C"),
                row("too many arguments", "-t", "{NAME}", "version", "extra"),
                row("--target=NAME", "--target={NAME}", "version"),
                row("-t NAME given as ./NAME", "-t", "./{NAME}", "version"),
                row("-t socket path", "-t", "{CTL}", "list-commands"),
                row("-- ends options", "-t", "{NAME}", "--", "version"),
                row("options end at the command", "-t", "{NAME}", "version", "-t", "x"),
                row("-e is ignored", "-e", "-t", "{NAME}", "version"),
                row("-T with a prompt answer", "-T", "5", "-t", "{NAME}", "version"),
                row("-t nonexistent name", "-t", "nonexistent", "version"),
                row("-t nonexistent socket", "-t", "{DIR}/nonexistent.ctl", "version"),
                row("-t a regular file", "-t", "{DIR}/regular.ctl", "version")
                        .with(dir -> file(dir, "regular.ctl", "")),
                row("-t a directory", "-t", "{DIR}", "version"),
                row("-t through a missing directory", "-t", "{DIR}/no/such.ctl", "version"),
                row("stale pidfile, not locked", "-t", "stale", "version")
                        .with(dir -> file(dir, "stale.pid", "99999\n")),
                row("empty pidfile, not locked", "-t", "empty", "version").with(dir -> file(dir, "empty.pid", "")),
                row("empty pidfile, locked", "-t", "empty", "version").with(dir -> lockedFile(dir, "empty.pid", "")),
                row("pidfile locked by another pid", "-t", "other", "version")
                        .with(dir -> lockedFile(dir, "other.pid", "1\n")),
                row("valid pidfile, no socket", "-t", "mine", "version")
                        .with(dir -> lockedFile(dir, "mine.pid", ProcessHandle.current().pid() + "\n")),
                row("pidfile is a directory", "-t", "isdir", "version")
                        .with(dir -> directory(dir, "isdir.pid")),
                row("-T on a server that never answers", "-T", "1", "-t", "{DIR}/silent.ctl", "version")
                        .with(SILENT),
                row("OVS_CTL_TIMEOUT on a server that never answers", "-t", "{DIR}/silent.ctl", "version")
                        .with(SILENT).env("OVS_CTL_TIMEOUT", "1"),
                row("server closes without answering", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("")),
                row("server resets the connection", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned(null)),
                row("result is not a string", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("{\"result\":[1],\"error\":null,\"id\":0}")),
                row("error is not a string", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("{\"result\":null,\"error\":3.5,\"id\":0}")),
                row("reply is not an object", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("[\"result\"]")),
                row("reply with result and error", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("{\"result\":\"a\",\"error\":\"b\",\"id\":0}")),
                row("reply with an unexpected member", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("{\"result\":\"a\",\"error\":null,\"id\":0,\"extra\":1}")),
                row("other messages before the reply", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("{\"method\":\"echo\",\"params\":[],\"id\":\"x\"}"
                                + "{\"result\":\"not ours\",\"error\":null,\"id\":7}"
                                + "{\"result\":\"ours\\n\",\"error\":null,\"id\":0}")),
                row("error answer without a new-line", "-t", "{DIR}/canned.ctl", "version")
                        .with(canned("{\"result\":null,\"error\":\"no nl\",\"id\":0}")),
                row("no arguments"),
                row("--help", "--help"),
                row("-h stops option parsing", "-h", "--bogus"),
                row("-o", "-o"),
                row("--version", Comparison.VERSION, "--version"),
                row("unknown long option", "--bogus=1", "version"),
                row("unknown short option", "-x", "version"),
                row("ambiguous abbreviation", "--t=5", "version"),
                row("missing argument", "-t"),
                row("missing long argument", "--timeout"),
                row("argument to a flag", "--help=1"),
                row("-t twice", "-t", "a", "-t", "b", "version"),
                row("-e twice", "-e", "-e", "version"),
                row("bad -T", "-T", "0x5", "version"),
                row("-T too large", "-T", "4294967296", "version"),
                row("-v spec: unknown word", "-vfoo", "version"),
                row("-v spec: two levels", "-vconsole:warn:dbg", "version"),
                row("-v spec: PATTERN without destination", "-vPATTERN", "version"),
                row("-v spec: bad facility", "-vFACILITY:bogus", "version"),
                row("-v console off", "-vconsole:off", "-t", "{DIR}/nonexistent.ctl", "version"),
                row("-v debug for one module", "-vjsonrpc:console:dbg", "-t", "{NAME}", "version"),
                row("-v debug on connection failure", "-vstream_unix:DBG", "-t", "{DIR}/nonexistent.ctl", "version"),
                row("-v pattern", "-vPATTERN:console:%A|%N|%-6p|%08c{x}|%05N|[%m]%%%q", "-vFACILITY:local3",
                        "-t", "{DIR}/nonexistent.ctl", "version"),
                row("-v syslog priority pattern", "-vFACILITY:daemon", "-vPATTERN:ANY:<%B> %m",
                        "-t", "{DIR}/nonexistent.ctl", "version"),
                row("--log-file", "--log-file={DIR}/appctl.log", "-t", "{DIR}/nonexistent.ctl", "version")
                        .comparingLogFile(),
                row("--log-file twice, then another", "--log-file={DIR}/appctl.log", "--log-file={DIR}/./appctl.log",
                        "--log-file={DIR}/appctl2.log", "-t", "{DIR}/nonexistent.ctl", "version").comparingLogFile(),
                row("--log-file that cannot be opened", "--log-file={DIR}/no/such/dir.log", "version"),
                row("--log-file empty", "--log-file=", "version"),
                row("--syslog-method unknown", "--syslog-method=foo", "version"),
                row("--syslog-target without port", "--syslog-target=localhost", "-t", "{DIR}/nonexistent.ctl",
                        "version"),
                row("--syslog-target is deprecated", "--syslog-target=127.0.0.1:514", "-t", "{DIR}/nonexistent.ctl",
                        "version"),
                row("OVS_SYSLOG_METHOD unknown", "-t", "{DIR}/nonexistent.ctl", "version")
                        .env("OVS_SYSLOG_METHOD", "bogus"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sameAsRealOvsAppctl(Case c) throws Exception {
        Path dir = daemon.dir();
        Map<String, String> env = new HashMap<>(daemon.env());
        env.putAll(c.env());
        try (AutoCloseable fixture = c.fixture().set(dir)) {
            Outcome real = runOne(REAL, c, env);
            Outcome ours = runOne(OURS, c, env);
            String what = c.name() + "\nreal: " + real.run + "\nours: " + ours.run;
            assertEquals(real.run.status(), ours.run.status(), "exit status of " + what);
            assertEquals(normalize(real.run.stderr(), REAL), normalize(ours.run.stderr(), OURS), "stderr of " + what);
            switch (c.comparison()) {
            case EXACT -> assertEquals(real.run.stdout(), ours.run.stdout(), "stdout of " + what);
            case VERSION -> assertEquals(real.run.stdout() + "jovs " + Version.JOVS
                    + ": a Java implementation of ovs-appctl\n", ours.run.stdout(), "stdout of " + what);
            case COVERAGE -> assertSameCoverage(real.run.stdout(), ours.run.stdout(), what);
            }
            assertEquals(normalize(real.logFile, REAL), normalize(ours.logFile, OURS), "log file of " + what);
        }
    }

    /**
     * A timeout kills by SIGALRM, not by exiting with status 142 (which the JDK reports the same
     * way): a shell waiting for the program says "Alarm clock" only for the signal.
     */
    @Test
    void timeoutIsDeathBySigalrm() throws Exception {
        try (AutoCloseable server = SILENT.set(daemon.dir())) {
            for (String program : List.of(REAL, OURS)) {
                String socket = daemon.dir().resolve("silent.ctl").toString();
                ProgramRun r = ProgramRun.run(List.of("bash", "-c", "\"$@\"; true", "bash", program,
                        "-T", "1", "-t", socket, "version"), daemon.env(), daemon.dir(), 30);
                assertTrue(r.stderr().matches("(?s).*[0-9]+ Alarm clock .*"), program + ": " + r);
            }
        }
    }

    private record Outcome(ProgramRun run, String logFile) {
    }

    private Outcome runOne(String program, Case c, Map<String, String> env) throws Exception {
        List<String> argv = new ArrayList<>(List.of(program));
        for (String a : c.args()) {
            argv.add(a.replace("{NAME}", daemon.name()).replace("{DIR}", daemon.dir().toString())
                    .replace("{CTL}", controlSocket().toString()));
        }
        ProgramRun run = ProgramRun.run(argv, env, daemon.dir(), 30);
        StringBuilder logFiles = new StringBuilder();
        try (Stream<Path> files = Files.list(daemon.dir())) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().matches("appctl.*\\.log")).sorted().toList();
            for (Path log : logs) {
                logFiles.append("== ").append(log.getFileName()).append('\n').append(Files.readString(log));
                Files.delete(log);
            }
        }
        return new Outcome(run, c.logFile() ? logFiles.toString() : "");
    }

    private Path controlSocket() throws IOException {
        String pid = Files.readString(daemon.dir().resolve(daemon.name() + ".pid")).trim();
        return daemon.dir().resolve(daemon.name() + "." + pid + ".ctl");
    }

    /** Log timestamps, and argv[0] where getopt's messages start with it. */
    static String normalize(String text, String argv0) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z", "TIMESTAMP")
                .replace(argv0 + ": ", "ARGV0: ");
    }

    /**
     * coverage/show's shape: header, one line per counter, "N events never hit". Counters that
     * the real program saw must all be there for ours, which runs later; new ones may appear.
     */
    static void assertSameCoverage(String real, String ours, String what) {
        List<String> realLines = List.of(real.split("\n"));
        List<String> ourLines = List.of(ours.split("\n"));
        String header = "Event coverage, avg rate over last: 5 seconds, last minute, last hour,  hash=[0-9a-f]{8}:";
        String counter = "[a-z_0-9]+ +[0-9.]+/sec +[0-9.]+/sec +[0-9.]+/sec +total: [0-9]+";
        for (List<String> lines : List.of(realLines, ourLines)) {
            assertTrue(lines.get(0).matches(header), "coverage header of " + what);
            assertTrue(lines.get(lines.size() - 1).matches("[0-9]+ events never hit"), "coverage footer of " + what);
            for (String line : lines.subList(1, lines.size() - 1)) {
                assertTrue(line.matches(counter), "coverage line '" + line + "' of " + what);
            }
        }
        Set<String> realCounters = counterNames(realLines);
        Set<String> ourCounters = counterNames(ourLines);
        assertTrue(ourCounters.containsAll(realCounters), "coverage counters of " + what);
    }

    private static Set<String> counterNames(List<String> lines) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            names.add(line.substring(0, line.indexOf(' ')));
        }
        return names;
    }

    static AutoCloseable file(Path dir, String name, String content) throws IOException {
        Path p = Files.writeString(dir.resolve(name), content);
        return () -> Files.deleteIfExists(p);
    }

    static AutoCloseable directory(Path dir, String name) throws IOException {
        Path p = Files.createDirectory(dir.resolve(name));
        return () -> Files.deleteIfExists(p);
    }

    /** A file holding 'content' with an fcntl write lock held by this (the test's) process. */
    static AutoCloseable lockedFile(Path dir, String name, String content) throws IOException {
        Path p = Files.writeString(dir.resolve(name), content);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = ch.lock();
        return () -> {
            lock.release();
            ch.close();
            Files.deleteIfExists(p);
        };
    }

    private static void awaitInput(SocketChannel c) throws IOException {
        c.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            c.register(selector, SelectionKey.OP_READ);
            selector.select(10_000);
        }
    }

    /** A socket that accepts connections (the kernel queues them) but never answers. */
    static AutoCloseable silentServer(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 16);
        return () -> {
            server.close();
            Files.deleteIfExists(path);
        };
    }

    /**
     * A server that answers each connection's request with 'reply' (raw bytes, maybe several
     * messages or none) and closes it; or, if 'reply' is null, closes it once the request has
     * arrived without reading it, which makes the client's read fail with ECONNRESET.
     */
    static AutoCloseable cannedServer(Path path, String reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 16);
        Thread t = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    if (reply == null) {
                        awaitInput(c);
                    } else {
                        c.read(ByteBuffer.allocate(4096));
                        c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                    }
                } catch (IOException e) {
                    // The server was closed, or a client went away early: nothing to answer.
                }
            }
        }, "canned-server");
        t.start();
        return () -> {
            server.close();
            t.join(5000);
            Files.deleteIfExists(path);
        };
    }
}
