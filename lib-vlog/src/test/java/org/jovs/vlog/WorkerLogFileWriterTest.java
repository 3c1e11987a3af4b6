package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jovs.core.Coverage;
import org.jovs.core.PollLoop;
import org.jovs.worker.DeathPolicy;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file route through a real worker process (a child JVM): lines, the worker's own lines
 * and configuration, and above all the order when the worker dies with lines queued, whether the
 * death is noticed inside the route's own request() (the "worker failed" message is then logged
 * re-entrantly) or by the main loop, and across a log rotation. {@link SleepHandler} holds the
 * log requests unacknowledged so that the dead worker has written none of them.
 */
class WorkerLogFileWriterTest {
    private static final Logger LOG = LoggerFactory.getLogger("route_test");
    /* The file pattern of these tests: serial numbers show the log order. */
    private static final String PATTERN = "PATTERN:file:%N|%c%T|%p|%m";

    @TempDir
    Path dir;
    private TestEngine t;
    private Path file;
    private Path workerOut;
    private WorkerClient client;
    private WorkerLogFileWriter route;
    private final PollLoop loop = new PollLoop();

    /** A vlog engine logging to 'w.log' through a worker that has started; 'specs' come first. */
    private void start(String... specs) throws Exception {
        t = new TestEngine();
        t.engine.setVerbosity(PATTERN);
        // The worker's exit line, which some tests look for, is debug.
        t.engine.setVerbosity("worker:file:dbg");
        for (String spec : specs) {
            t.engine.setVerbosity(spec);
        }
        file = dir.resolve("w.log");
        workerOut = dir.resolve("worker.err");
        assertEquals(0, t.engine.setLogFile(file.toString()));
        WorkerOptions options = new WorkerOptions().output(Redirect.to(workerOut.toFile()));
        client = new WorkerClient(options);
        client.register(SleepHandler.ID, DeathPolicy.FAIL);
        route = new WorkerLogFileWriter(client, options);
        client.start();
        Vlog.setLogFileWriter(route);
        waitUntil(() -> read(file).contains("worker process started"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            long pid = client.pid();
            client.close();
            waitForExit(pid);
            route.detach();
        }
        if (t != null) {
            t.close();
        }
    }

    /** One main loop iteration, as ovs-vswitchd runs it, sleeping at most 10 ms. */
    private void iterate() {
        client.run();
        route.run();
        route.waitFor(loop);
        client.waitFor(loop);
        loop.timerWait(10);
        loop.block();
    }

    private void waitUntil(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out; file: " + read(file));
            iterate();
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void waitForExit(long pid) throws Exception {
        if (pid > 0) {
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h != null) {
                h.onExit().get(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Kills the worker with SIGKILL and waits until it is gone. */
    private long killWorker() throws Exception {
        long pid = client.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        waitForExit(pid);
        return pid;
    }

    /** Makes the worker sleep 'ms' before running anything sent after this. */
    private void stallWorker(long ms) {
        client.request(SleepHandler.ID, ByteBuffer.allocate(8).putLong(0, ms));
    }

    /**
     * The main process's lines of 'p' as "module|level|text", checking that their serial numbers
     * only grow: the file holds them in log order, each once.
     */
    private static List<String> mainLines(Path p) {
        List<String> out = new ArrayList<>();
        long last = -1;
        for (String line : read(p).split("\n")) {
            if (line.isEmpty() || line.contains("(worker)|")) {
                continue;
            }
            int bar = line.indexOf('|');
            long serial = Long.parseLong(line.substring(0, bar));
            assertTrue(serial > last, "serial " + serial + " after " + last + " in " + p + ":\n"
                    + read(p));
            last = serial;
            out.add(line.substring(bar + 1));
        }
        return out;
    }

    private static List<String> numbered(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("route_test|INFO|" + prefix + " " + i);
        }
        return out;
    }

    private static void log(String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            LOG.info("{} {}", prefix, i);
        }
    }

    @Test
    void linesGoThroughTheWorkerWhichTagsItsOwnAndTakesOurSettings() throws Exception {
        start();
        log("line", 0, 5000);
        waitUntil(() -> read(file).contains("|line 4999\n"));
        List<String> lines = mainLines(file);
        assertEquals(numbered("line", 0, 5000), lines.subList(lines.size() - 5000, lines.size()));
        assertTrue(client.show().contains("requests: "), client.show());
        // The worker's own message, in our file pattern, with the tag %T adds.
        assertTrue(read(file).matches("(?s).*\n\\d+\\|worker\\(worker\\)\\|INFO\\|worker process "
                + "started\n.*"), read(file));

        // A change of settings reaches the running worker: its exit message uses the new pattern.
        t.engine.set(List.of("PATTERN:file:new %c%T|%m"));
        iterate();
        long pid = client.pid();
        client.close();
        waitForExit(pid);
        assertTrue(read(file).endsWith("new worker(worker)|worker process exiting\n"), read(file));
    }

    @Test
    void deathNoticedInsideOurRequestLogsTheFailureAfterTheReplayedLines() throws Exception {
        start();
        long recursive = Coverage.counter("vlog_recursive").total();
        stallWorker(60_000);
        log("queued", 0, 3000);
        for (int i = 0; i < 5; i++) {
            iterate();
        }
        long pid = killWorker();
        // The next full batch makes the route's own request() meet the dead worker: the client
        // logs the failure from inside it, then replays the queued lines inline.
        log("after", 0, 5000);
        assertTrue(Coverage.counter("vlog_recursive").total() > recursive,
                "the failure message re-entered the route");
        waitUntil(() -> read(file).contains("|after 4999\n"));

        List<String> lines = mainLines(file);
        int failure = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("worker|ERR|worker process " + pid + " failed")) {
                failure = i;
            }
        }
        assertTrue(failure > 0, lines.toString());
        List<String> before = lines.subList(0, failure);
        assertEquals(numbered("queued", 0, 3000),
                before.stream().filter(l -> l.contains("|queued ")).toList(),
                "all replayed, in order, before the failure");
        List<String> after = lines.stream().filter(l -> l.contains("|after ")).toList();
        assertEquals(numbered("after", 0, 5000), after, "each line once, in order");
    }

    @Test
    void deathNoticedByTheMainLoopKeepsTheOrderToo() throws Exception {
        start();
        stallWorker(60_000);
        log("queued", 0, 3000);
        for (int i = 0; i < 5; i++) {
            iterate();
        }
        long pid = killWorker();
        // client.run() notices: its "failed" message waits until the replay is done.
        iterate();
        assertFalse(client.isRunning());
        log("while down", 0, 100);
        assertTrue(read(file).contains("|while down 99\n"), "no worker: written at once");
        waitUntil(client::isRunning);
        log("restarted", 0, 100);
        waitUntil(() -> read(file).contains("|restarted 99\n"));

        List<String> lines = mainLines(file);
        List<String> expected = new ArrayList<>(numbered("queued", 0, 3000));
        expected.add("failure");
        expected.addAll(numbered("while down", 0, 100));
        expected.addAll(numbered("restarted", 0, 100));
        List<String> got = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("worker|ERR|worker process " + pid + " failed")) {
                got.add("failure");
            } else if (l.startsWith("route_test|")) {
                got.add(l);
            }
        }
        assertEquals(expected, got);
    }

    @Test
    void linesOfARotatedFileAreReplayedIntoIt() throws Exception {
        start();
        stallWorker(60_000);
        log("old file", 0, 1000);
        iterate();
        Path rotated = dir.resolve("w.log.1");
        Files.move(file, rotated);
        assertEquals(0, Vlog.reopenLogFile());
        log("new file", 0, 1000);
        iterate();
        killWorker();
        waitUntil(() -> read(file).contains("|new file 999\n"));

        List<String> old = mainLines(rotated);
        assertTrue(old.containsAll(numbered("old file", 0, 1000)), old.toString());
        assertEquals("vlog|INFO|closing log file", old.get(old.size() - 1));
        List<String> fresh = mainLines(file);
        assertEquals("vlog|INFO|opened log file " + file, fresh.get(0));
        assertEquals(numbered("new file", 0, 1000), fresh.subList(1, 1001));
    }

    @Test
    void theWorkerReportsWriteErrorsOnItsConsoleOnceAndResumes() throws Exception {
        start();
        assertEquals(0, Vlog.setLogFile("/dev/full"));
        log("lost", 0, 2000);
        Path good = dir.resolve("good.log");
        waitUntil(() -> read(workerOut).contains("failed to write"));
        iterate();
        assertEquals(0, Vlog.setLogFile(good.toString()));
        log("kept", 0, 10);
        waitUntil(() -> read(good).contains("resumed writing"));

        String console = read(workerOut);
        String report = "|vlog(worker)|WARN|failed to write to log file /dev/full: No space left "
                + "on device\n";
        assertTrue(console.contains(report), console);
        assertEquals(console.indexOf(report), console.lastIndexOf(report), "once a minute");
        assertTrue(read(good).matches("(?s).*\\|vlog\\(worker\\)\\|INFO\\|resumed writing to log "
                + "file " + good + " after losing \\d+ messages\n.*"), read(good));
        assertEquals(numbered("kept", 0, 10), mainLines(good).subList(1, 11));
    }

    @Test
    void linesLoggedAfterCloseFollowTheWorkersLast() throws Exception {
        start();
        log("sent", 0, 1000);
        route.waitFor(loop);
        long pid = client.pid();
        client.close();
        LOG.info("after close");
        waitForExit(pid);
        route.detach();
        String text = read(file);
        int exiting = text.indexOf("|worker(worker)|DBG|worker process exiting\n");
        assertTrue(exiting > text.indexOf("|route_test|INFO|sent 999\n"), text);
        assertTrue(text.endsWith("|route_test|INFO|after close\n"), text);
        client = null;
    }

    @Test
    void otherThreadsLinesWaitForTheMainThread() throws Exception {
        start();
        Thread other = new Thread(() -> log("other", 0, 100));
        other.start();
        other.join();
        log("main", 0, 1);
        waitUntil(() -> read(file).contains("|main 0\n"));
        List<String> lines = mainLines(file);
        assertEquals(numbered("other", 0, 100), lines.subList(lines.size() - 101, lines.size() - 1));
    }

    @Test
    void withoutAStartedWorkerLinesAreWrittenAtOnce() throws Exception {
        t = new TestEngine();
        t.engine.setVerbosity(PATTERN);
        file = dir.resolve("w.log");
        t.engine.setLogFile(file.toString());
        WorkerOptions options = new WorkerOptions();
        WorkerClient never = new WorkerClient(options);
        WorkerLogFileWriter direct = new WorkerLogFileWriter(never, options);
        Vlog.setLogFileWriter(direct);
        log("direct", 0, 3);
        assertEquals(numbered("direct", 0, 3), mainLines(file).subList(1, 4));
        direct.detach();
    }
}
