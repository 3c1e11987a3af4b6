package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jovs.core.Pidfile;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 8: system statistics gathered by a real worker process, compared with what the kernel
 * shows in /proc, statvfs (df) and nproc; and the main side's four-state machine. Each test runs in
 * its own network namespace (the worker with it).
 */
class SystemStatsTest {
    @TempDir
    Path dir;
    private TestNamespace ns;
    private Path rundir;

    @BeforeEach
    void setUp() throws Exception {
        ns = new TestNamespace();
        rundir = Files.createDirectory(dir.resolve("run"));
    }

    @AfterEach
    void tearDown() throws Exception {
        ns.close();
    }

    private TestWorker worker() {
        return new TestWorker(dir, new WorkerOptions().property(SystemStatsHandler.RUNDIR_PROPERTY, rundir.toString()));
    }

    private static Map<String, String> nextSnapshot(TestWorker w, SystemStats s) throws Exception {
        List<Map<String, String>> got = new ArrayList<>();
        w.pump(() -> {
            Map<String, String> m = s.poll();
            if (m != null) {
                got.add(m);
            }
            return !got.isEmpty();
        }, 20_000, "a statistics snapshot");
        return got.get(0);
    }

    private static long[] numbers(String value, int n) {
        String[] f = value.split(",");
        assertEquals(n, f.length, value);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Long.parseLong(f[i]);
        }
        return out;
    }

    private static Map<String, Long> meminfo() throws Exception {
        Map<String, Long> m = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            String[] f = line.split(":\\s+|\\s+");
            m.put(f[0], Long.parseLong(f[1]));
        }
        return m;
    }

    /** Fields of /proc/PID/stat, numbered as in proc(5) (field 1 is the pid). */
    private static String[] procStat(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] rest = s.substring(s.lastIndexOf(')') + 2).split(" ");
        String[] f = new String[rest.length + 3];
        System.arraycopy(rest, 0, f, 3, rest.length);
        return f;
    }

    /** ms since process 'pid' started, from /proc as ps computes it. */
    private static long uptimeMs(long pid) throws Exception {
        long btime = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("btime ")) {
                btime = Long.parseLong(line.substring(6).trim());
            }
        }
        return TimeVal.wallMsec() - (btime * 1000 + Long.parseLong(procStat(pid)[22]) * 10);
    }

    private static void assertNear(long want, long got, long tolerance, String what) {
        assertTrue(Math.abs(want - got) <= tolerance,
                what + ": expected " + want + " +- " + tolerance + ", got " + got);
    }

    /** Checks a process_NAME value against /proc for 'pid', with 'bootedFrom' the monitor's pid (or pid). */
    private static void assertProcess(String value, long pid, long bootedFrom) throws Exception {
        long[] v = numbers(value, 7);
        String[] stat = procStat(pid);
        long pageKb = Long.parseLong(TestNamespace.run("getconf", "PAGESIZE").trim()) / 1024;
        assertNear(Long.parseLong(stat[23]) / 1024, v[0], Long.parseLong(stat[23]) / 1024 / 5, "vsz kB of " + pid);
        assertTrue(v[1] > 1000 && v[1] < Long.parseLong(stat[24]) * pageKb * 3, "rss kB of " + pid + ": " + v[1]);
        long cpuMs = (Long.parseLong(stat[14]) + Long.parseLong(stat[15])) * 10;
        // TASKSTATS sums sampled ticks, /proc scales them to the scheduler's runtime: close, not equal.
        assertTrue(v[2] > 0 && v[2] <= cpuMs * 11 / 10 + 200,
                "cputime ms of " + pid + ": " + v[2] + " vs /proc " + cpuMs);
        assertEquals(0, v[3], "crashes");
        assertNear(uptimeMs(bootedFrom), v[4], 3000, "booted of " + pid);
        assertNear(uptimeMs(pid), v[5], 3000, "uptime of " + pid);
        assertTrue(v[6] >= 0 && v[6] < Runtime.getRuntime().availableProcessors() * 64L, "core id " + v[6]);
    }

    @Test
    void snapshotThroughTheWorkerHasOvsKeysWithPlausibleValues() throws Exception {
        // Pidfiles: one held by this process (OVS reports it), one stale, and things that are not pidfiles.
        Pidfile held = Pidfile.create(rundir.resolve("ovsdb-server.pid").toString(), false);
        Files.writeString(rundir.resolve("stale.pid"), "1\n");
        Files.writeString(rundir.resolve("notes.txt"), "not a pidfile\n");
        Files.createDirectory(rundir.resolve("dir.pid"));
        try {
            ns.call(() -> {
                try (TestWorker w = worker().start()) {
                    SystemStats s = new SystemStats(w.client, "ovs-vswitchd");
                    w.drive(s::run, s::waitFor);
                    s.enable(true);
                    Map<String, String> snap = nextSnapshot(w, s);
                    long self = ProcessHandle.current().pid();
                    long workerPid = w.client.pid();

                    Set<String> keys = new TreeSet<>(List.of("cpu", "load_average", "memory", "process_ovs-vswitchd",
                            "process_ovs-vswitchd-worker", "process_ovsdb-server", "file_systems"));
                    assertEquals(keys, new TreeSet<>(snap.keySet()), snap.toString());

                    assertEquals(TestNamespace.run("nproc").trim(), snap.get("cpu"));

                    String load = snap.get("load_average");
                    assertTrue(load.matches("\\d+\\.\\d\\d,\\d+\\.\\d\\d,\\d+\\.\\d\\d"), load);
                    String[] procLoad = Files.readString(Path.of("/proc/loadavg")).split(" ");
                    for (int i = 0; i < 3; i++) {
                        double want = Double.parseDouble(procLoad[i]);
                        double got = Double.parseDouble(load.split(",")[i]);
                        assertTrue(Math.abs(want - got) <= Math.max(1.0, want / 2), "load " + i + ": " + load);
                    }

                    long[] mem = numbers(snap.get("memory"), 5);
                    Map<String, Long> mi = meminfo();
                    long total = mi.get("MemTotal");
                    assertEquals(total, mem[0], "MemTotal");
                    assertNear(total - mi.get("MemFree"), mem[1], total / 20, "used memory");
                    assertNear(mi.get("Buffers") + mi.get("Cached"), mem[2], total / 20, "cache");
                    assertEquals(mi.get("SwapTotal"), mem[3], "SwapTotal");
                    assertNear(mi.get("SwapTotal") - mi.get("SwapFree"), mem[4], total / 20, "used swap");

                    assertProcess(snap.get("process_ovs-vswitchd"), self, monitorOf(self));
                    assertProcess(snap.get("process_ovsdb-server"), self, monitorOf(self));
                    // The worker's parent is this JVM, also named "java": OVS takes it for a monitor.
                    assertProcess(snap.get("process_ovs-vswitchd-worker"), workerPid, self);

                    assertFileSystems(snap.get("file_systems"));
                }
                return null;
            });
        } finally {
            held.close();
        }
    }

    /** The parent of 'pid' if it has the same name (OVS's monitor rule), else 'pid' itself. */
    private static long monitorOf(long pid) throws Exception {
        String name = comm(pid);
        long ppid = Long.parseLong(procStat(pid)[4]);
        return ppid != 0 && comm(ppid).equals(name) ? ppid : pid;
    }

    private static String comm(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
    }

    /** Each read-write /dev mount appears with df's size, and a used figure near df's. */
    private static void assertFileSystems(String value) throws Exception {
        Map<String, long[]> got = new HashMap<>();
        for (String fs : value.split(" ")) {
            String[] f = fs.split(",");
            assertEquals(3, f.length, value);
            got.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
        int checked = 0;
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (!f[0].startsWith("/dev") || !f[3].contains("rw")) {
                continue;
            }
            String mount = f[1].replace("\\040", "_").replace(',', '_');
            assertTrue(got.containsKey(mount), mount + " missing from " + value);
            String[] df = TestNamespace.run("df", "-k", "--output=size,used", f[1]).trim().split("\n")[1].trim()
                    .split("\\s+");
            long size = Long.parseLong(df[0]);
            assertEquals(size, got.get(mount)[0], "size of " + mount);
            assertNear(Long.parseLong(df[1]), got.get(mount)[1], size / 50 + 1024, "used on " + mount);
            checked++;
        }
        assertEquals(checked, got.size(), value);
    }

    @Test
    void taskstatsCpuTimeMatchesProc() throws Exception {
        try (NlSocket genl = ns.call(() -> NlSocket.open(Netlink.NETLINK_GENERIC))) {
            Taskstats ts = new Taskstats(genl);
            long self = ProcessHandle.current().pid();
            long before = (Long.parseLong(procStat(self)[14]) + Long.parseLong(procStat(self)[15])) * 10;
            long micros = ts.cpuTimeMicros((int) self);
            long after = (Long.parseLong(procStat(self)[14]) + Long.parseLong(procStat(self)[15])) * 10;
            assertTrue(micros > 0, "TASKSTATS answered " + micros);
            // Both count every thread; /proc in 10 ms ticks, TASKSTATS finer.
            assertTrue(micros / 1000 >= before * 9 / 10 - 50 && micros / 1000 <= after * 11 / 10 + 50,
                    "TASKSTATS " + micros / 1000 + " ms, /proc " + before + ".." + after + " ms");
            assertEquals(-1, ts.cpuTimeMicros(Integer.MAX_VALUE), "no such process");
        }
    }

    @Test
    void stateMachineWaitsTheIntervalAndDropsRepliesAfterDisable() throws Exception {
        ns.call(() -> {
            try (TestWorker w = worker().start()) {
                SystemStats s = new SystemStats(w.client, "ovs-vswitchd");
                w.drive(s::run, s::waitFor);
                assertEquals(SystemStats.State.DISABLED, s.state());
                s.run();
                assertEquals(SystemStats.State.DISABLED, s.state(), "nothing happens while disabled");

                s.enable(true);
                assertEquals(SystemStats.State.WAITING, s.state());
                assertNotNull(nextSnapshot(w, s));
                assertEquals(SystemStats.State.WAITING, s.state());
                assertNull(s.poll(), "a snapshot is returned once");
                // The next request waits for the interval.
                long until = TimeVal.msec() + 300;
                w.pump(() -> TimeVal.msec() >= until || s.state() != SystemStats.State.WAITING, 5_000, "300 ms");
                assertEquals(SystemStats.State.WAITING, s.state());
                assertNull(s.poll());

                s.enable(false);
                assertEquals(SystemStats.State.DISABLED, s.state());
                s.enable(true);
                s.run();
                assertEquals(SystemStats.State.REQUEST_SENT, s.state(), "re-enabling asks at once");
                s.enable(false);
                w.pump(() -> s.state() == SystemStats.State.DISABLED, 20_000, "the reply to be dropped");
                assertNull(s.poll(), "a reply that arrives after disable is dropped");
            }
            return null;
        });
    }

    @Test
    void requestLostWithADeadWorkerIsReplayedToTheNext() throws Exception {
        ns.call(() -> {
            try (TestWorker w = worker().start()) {
                SystemStats s = new SystemStats(w.client, "ovs-vswitchd");
                w.drive(s::run, s::waitFor);
                w.pump(() -> w.client.pid() > 0, 10_000, "the worker");
                long first = w.client.pid();
                w.stall(60_000);
                s.enable(true);
                s.run();
                assertEquals(SystemStats.State.REQUEST_SENT, s.state());
                assertEquals(0, Native.libc().kill((int) first, Native.SIGKILL));
                Map<String, String> snap = nextSnapshot(w, s);
                assertFalse(w.client.pid() == first, "a new worker answered");
                assertTrue(snap.keySet().containsAll(List.of("cpu", "memory", "process_ovs-vswitchd-worker")),
                        snap.toString());
                assertEquals(SystemStats.State.WAITING, s.state());
            }
            return null;
        });
    }

    @Test
    void valueFormatsFollowOvs() {
        String meminfo = "MemTotal:       24683620 kB\nMemFree:        22778968 kB\nMemAvailable:   23148180 kB\n"
                + "Buffers:           30356 kB\nCached:           497004 kB\nSwapCached:            0 kB\n"
                + "Active(anon):      1000 kB\nSwapTotal:       1048572 kB\nSwapFree:         1000000 kB\n";
        assertEquals("24683620,1904652,527360,1048572,48572", SystemStatsCollector.memoryValue(meminfo));
        assertEquals("0,0,0,0,0", SystemStatsCollector.memoryValue("garbage\n:\nMemTotal: x kB\n"));

        String stat = "42 (we) ird) S 7 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 9 0 1234 10485760 300 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        SystemStatsCollector.ProcStat p = SystemStatsCollector.ProcStat.parse(stat);
        assertEquals(new SystemStatsCollector.ProcStat("we) ird", 7, 300, 1234, 10485760, 300, 1), p);
        assertNull(SystemStatsCollector.ProcStat.parse("42 (short) S 7 42"));

        byte[] cmdline = "ovs-vswitchd: monitoring pid 123 (3 crashes: pid 122 died, killed (Aborted))\0--monitor\0"
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(3, SystemStatsCollector.crashCount(cmdline));
        assertEquals(0, SystemStatsCollector.crashCount("java\0-cp\0(5)".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, SystemStatsCollector.crashCount(new byte[0]));

        List<SystemStatsCollector.Mount> m = SystemStatsCollector.Mount.parseAll(
                "# comment\n\n/dev/vda / ext4 rw,relatime 0 0\n/dev/sdb1 /mnt/my\\040disk\\134x vfat ro 0 0\n");
        assertEquals(List.of(new SystemStatsCollector.Mount("/dev/vda", "/", "ext4", "rw,relatime"),
                new SystemStatsCollector.Mount("/dev/sdb1", "/mnt/my disk\\x", "vfat", "ro")), m);
    }
}
