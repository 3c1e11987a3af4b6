package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's log file, written through its worker process, driven by the real ovs-appctl:
 * the line formats, logrotate (mv + vlog/reopen), and the worker killed with SIGKILL in the middle
 * of a flood. Numbered lines come from our hidden "vlog/message --count=N TEXT", which logs
 * "user-message: TEXT 1" to "user-message: TEXT N".
 */
class VlogDaemonTest {
    /** OVS's default file pattern, %D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c%T|%p|%m. */
    static final Pattern DEFAULT_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\|(\\d{5,})\\|([a-z_0-9]+)(\\(worker\\))?\\|"
            + "(EMER|ERR|WARN|INFO|DBG)\\|(.*)");
    private static final Pattern MESSAGE = Pattern.compile(".*\\|user-message: (\\S+) (\\d+)");

    private DaemonHarness h;
    private Path log;

    @BeforeEach
    void setUp() throws Exception {
        h = new DaemonHarness();
        log = h.dir().resolve("ovs-vswitchd.log");
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private void ok(String... args) throws Exception {
        Result r = h.appctl(args);
        assertEquals(0, r.status, r.toString());
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /** Waits up to 60 s for 'p' to contain 'text'. */
    static void waitForText(Path p, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!(Files.exists(p) && Files.readString(p).contains(text))) {
            assertTrue(System.currentTimeMillis() < deadline, "no \"" + text + "\" in " + p);
            Thread.sleep(50);
        }
    }

    /** The numbers of "user-message: 'tag' N" lines of 'lines', in file order. */
    static List<Integer> numbers(List<String> lines, String tag) {
        List<Integer> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = MESSAGE.matcher(l);
            if (m.matches() && m.group(1).equals(tag)) {
                out.add(Integer.parseInt(m.group(2)));
            }
        }
        return out;
    }

    @Test
    void fileLinesHaveTheDefaultFormatThenExactlyTheConfiguredPattern() throws Exception {
        assertEquals(0, h.startDetached().status);
        ok("vlog/message", "--count=3", "fmt");
        waitForText(log, "user-message: fmt 3\n");
        waitForText(log, "|worker(worker)|INFO|worker process started\n");
        for (String l : lines(log)) {
            assertTrue(DEFAULT_LINE.matcher(l).matches(), l);
        }

        ok("vlog/set", "PATTERN:file:%c|%p|%m");
        ok("vlog/message", "plain");
        waitForText(log, "\nvlog|INFO|user-message: plain\n");
        ok("vlog/set", "worker:file:dbg");
        ok("exit");
        waitForText(log, "\nworker|DBG|worker process exiting\n");
    }

    /**
     * A reply comes only once what the command logged is in the file, though lines reach the file
     * through the worker: OVS's tests read the log right after a command, as here.
     */
    @Test
    void whatACommandLoggedIsInTheFileWhenItsReplyArrives() throws Exception {
        assertEquals(0, h.startDetached().status);
        for (int i = 0; i < 50; i++) {
            ok("vlog/message", "gate-" + i);
            assertTrue(Files.readString(log).contains("|vlog|INFO|user-message: gate-" + i + "\n"), "line " + i);
        }
    }

    @Test
    void patternOptionGivesExactlyThatFormat() throws Exception {
        assertEquals(0, h.startDetached("-vPATTERN:file:%c|%p|%m").status);
        ok("vlog/message", "--count=2", "pat");
        waitForText(log, "\nvlog|INFO|user-message: pat 2\n");
        waitForText(log, "\nworker|INFO|worker process started\n");
        for (String l : lines(log)) {
            assertTrue(l.matches("[a-z_0-9]+\\|(EMER|ERR|WARN|INFO|DBG)\\|.*"), l);
        }
        assertTrue(lines(log).contains("vlog|INFO|opened log file " + log), lines(log).toString());
    }

    @Test
    void logrotateLosesNoLineAndASecondReopenLogsNothing() throws Exception {
        assertEquals(0, h.startDetached().status);
        Path rotated = h.dir().resolve("ovs-vswitchd.log.1");
        // Numbered lines keep coming, 500 per command, while the test rotates the log.
        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> done = new ArrayList<>();
        Thread logger = new Thread(() -> {
            try {
                for (int batch = 0; !stop.get(); batch++) {
                    Result r = h.appctl("vlog/message", "--count=500", "rot" + batch);
                    if (r.status == 0) {
                        synchronized (done) {
                            done.add(batch);
                        }
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        logger.start();
        waitForText(log, "user-message: rot2 500\n");
        Files.move(log, rotated);
        ok("vlog/reopen");
        waitForText(log, "user-message: rot");
        Thread.sleep(300);
        stop.set(true);
        logger.join(60_000);
        int last;
        synchronized (done) {
            last = done.get(done.size() - 1);
            assertEquals(last + 1, done.size(), "every command worked");
        }
        waitForText(log, "user-message: rot" + last + " 500\n");

        List<String> all = new ArrayList<>(lines(rotated));
        List<String> fresh = lines(log);
        assertTrue(fresh.get(0).endsWith("|vlog|INFO|opened log file " + log), fresh.get(0));
        assertTrue(all.get(all.size() - 1).endsWith("|vlog|INFO|closing log file"),
                all.get(all.size() - 1));
        all.addAll(fresh);
        for (String l : all) {
            assertTrue(DEFAULT_LINE.matcher(l).matches(), l);
        }
        for (int batch = 0; batch <= last; batch++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 1; i <= 500; i++) {
                expected.add(i);
            }
            assertEquals(expected, numbers(all, "rot" + batch), "batch " + batch);
        }

        // Nothing moved: the second reopen is a no-op and logs nothing.
        long rotatedSize = Files.size(rotated);
        int openedLines = count(lines(log), "opened log file");
        ok("vlog/reopen");
        ok("vlog/message", "after");
        waitForText(log, "user-message: after\n");
        assertEquals(rotatedSize, Files.size(rotated));
        assertEquals(openedLines, count(lines(log), "opened log file"));
        assertEquals(0, count(lines(log), "closing log file"));
    }

    private static int count(List<String> lines, String text) {
        return (int) lines.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void workerKilledDuringAFloodLosesNoLineAndKeepsTheOrder() throws Exception {
        assertEquals(0, h.startDetached().status);
        long worker = WorkerDaemonTest.workerPid(h);
        final int total = 200_000;
        Process flood = h.builder(DaemonHarness.APPCTL, "-t", "ovs-vswitchd", "vlog/message",
                "--count=" + total, "flood").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // Kill it a little way in (the flood is about 14 MB).
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(log) || Files.size(log) < 2_000_000) {
            assertTrue(System.currentTimeMillis() < deadline, "the flood did not start");
            Thread.sleep(5);
        }
        DaemonHarness.kill(worker, "KILL");
        assertEquals(0, flood.waitFor(), "vlog/message failed");
        waitForText(log, "user-message: flood " + total + "\n");
        String show = h.appctl("worker/show").stdout;
        assertTrue(show.contains("restarts: 1"), show);
        assertTrue(show.contains("last failure: "), show);

        List<String> lines = lines(log);
        // Every number, in order; a number smaller than the next one expected is a repeat of a
        // line in flight at the kill (written by the worker, then replayed in this process).
        int next = 1;
        int repeats = 0;
        for (int n : numbers(lines, "flood")) {
            if (n == next) {
                next++;
            } else {
                assertTrue(n < next, "line " + n + " before line " + next);
                repeats++;
            }
        }
        assertEquals(total + 1, next, "lines lost");
        System.out.println("worker killed mid-flood: " + repeats + " lines written twice");

        // The main process's own lines (the failure message included) are in log order, apart
        // from repeats: a serial number below the highest so far must have been seen already.
        long max = -1;
        Set<Long> seen = new HashSet<>();
        boolean failure = false;
        for (String l : lines) {
            Matcher m = DEFAULT_LINE.matcher(l);
            if (!m.matches()) {
                // A line cut by the kill, ended with a newline before the replay.
                assertTrue(repeats > 0, "malformed line " + l);
                continue;
            }
            if (m.group(3) != null) {
                continue;
            }
            long serial = Long.parseLong(m.group(1));
            assertTrue(serial > max || seen.contains(serial),
                    "serial " + serial + " appears after " + max + " without having been written: " + l);
            max = Math.max(max, serial);
            seen.add(serial);
            failure |= l.contains("|worker|ERR|worker process " + worker + " failed");
        }
        assertTrue(failure, "the worker's failure is logged");
    }
}
