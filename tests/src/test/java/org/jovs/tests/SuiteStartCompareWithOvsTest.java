package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jovs.tests.DaemonHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The real ovs-vswitchd and ours, both started with the options OVS's own test suites give it
 * (tests/ofproto-macros.at, _OVS_VSWITCHD_START), must pass what the suites check of every
 * daemon: a stderr empty but for the lines they filter out, and a log without WARN, ERR or EMER
 * lines (check_logs). They must also agree on what the suites and OVS's scripts read: vlog/list
 * (every module of OVS's, at the same levels; ours has a few of its own besides), vlog errors,
 * the version, and the log lines at start-up and at exit.
 */
class SuiteStartCompareWithOvsTest extends SideBySideTest {
    /** _OVS_VSWITCHD_START's options, after --enable-dummy, besides --detach --pidfile --log-file. */
    static final List<String> SUITE_OPTIONS = List.of("--enable-dummy", "--disable-system",
            "--disable-system-route", "--no-chdir", "-vvconn", "-vofproto_dpif", "-vunixctl");
    /** The stderr lines _OVS_VSWITCHD_START deletes before it checks that nothing is left. */
    static final Pattern STDERR_FILTERED = Pattern.compile(String.join("|",
            "ovs_numa\\|INFO\\|Discovered ", "odp_execute_impl\\|INFO\\|Action implementation ",
            "vlog\\|INFO\\|opened log file", "vswitchd\\|INFO\\|ovs-vswitchd \\(Open vSwitch\\)",
            "reconnect\\|INFO\\|",
            "dpif_netlink\\|INFO\\|Generic Netlink family .ovs_datapath. does not exist",
            "ofproto\\|INFO\\|using datapath ID",
            "netdev_linux\\|INFO\\|.*device has unknown hardware address family",
            "ofproto\\|INFO\\|datapath ID changed to fedcba9876543210",
            "dpdk\\|INFO\\|DPDK Disabled - Use other_config:dpdk-init to enable",
            "netlink_socket\\|INFO\\|netlink: could not enable listening to all nsid",
            "netdev_offload\\|INFO\\|netdev: Flow API Enabled", "probe tc:",
            "setting extended ack support failed", "tc: Using policy"));
    /** Our modules that OVS has not: our worker process, --config files, and --monitor. */
    static final Set<String> OURS_ONLY = Set.of("worker", "config", "monitor");

    @Override
    List<String> startOptions() {
        return SUITE_OPTIONS;
    }

    /** 'stderr''s lines that _OVS_VSWITCHD_START would complain about. */
    private static List<String> unfiltered(String stderr) {
        List<String> left = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (!line.isEmpty() && !STDERR_FILTERED.matcher(line).find()) {
                left.add(line);
            }
        }
        return left;
    }

    @Test
    void startLeavesNothingOnStderrThatTheSuitesDoNotFilter() {
        assertEquals(List.of(), unfiltered(realStart.stderr));
        assertEquals(List.of(), unfiltered(ourStart.stderr), "JVM or daemon output on stderr");
        assertEquals("", ourStart.stdout);
    }

    @Test
    void vlogListHasEveryOvsModuleAtTheSameLevels() throws Exception {
        String realList = ok(real.appctl("vlog/list"));
        String ourList = ok(ours.appctl("vlog/list"));
        List<String> ourLines = new ArrayList<>(List.of(ourList.split("\n")));
        for (String line : realList.split("\n")) {
            assertTrue(ourLines.remove(line), "\"" + line + "\" missing from ours:\n" + ourList);
        }
        Set<String> extra = new TreeSet<>();
        for (String line : ourLines) {
            extra.add(line.substring(0, line.indexOf(' ')));
            assertTrue(line.endsWith("OFF       INFO       INFO"), line);
        }
        assertTrue(OURS_ONLY.containsAll(extra), "modules of ours OVS has not: " + extra);
        assertEquals(realList, withoutOurModules(ourList));
    }

    /** 'list' (a vlog/list reply) without the lines of {@link #OURS_ONLY}'s modules. */
    private static String withoutOurModules(String list) {
        StringBuilder sb = new StringBuilder();
        for (String line : list.split("\n")) {
            if (!OURS_ONLY.contains(line.substring(0, line.indexOf(' ') < 0 ? 0 : line.indexOf(' ')))) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void vlogCommandsAndVersionAnswerAlike() throws Exception {
        String[][] commands = {{"version"}, {"vlog/set", "nosuchmodule:dbg"}, {"vlog/set", "nosuchmodule"},
            {"vlog/disable-rate-limit", "nosuchmodule"}, {"vlog/set", "ofproto_dpif_xlate:file:warn"},
            {"vlog/set", "NETDEV_DUMMY:syslog:err"}, {"vlog/list-pattern"}};
        for (String[] cmd : commands) {
            Result a = real.appctl(cmd);
            Result b = ours.appctl(cmd);
            assertEquals(a.toString(), b.toString(), String.join(" ", cmd));
        }
        assertEquals(ok(real.appctl("vlog/list")), withoutOurModules(ok(ours.appctl("vlog/list"))));
    }

    @Test
    void versionOptionAndBadSpecsAsOvs() throws Exception {
        Result a = real.run(30, REAL_VSWITCHD, "--version");
        Result b = ours.run(30, DaemonHarness.LAUNCHER.toString(), "--version");
        assertEquals(a.stdout + "jovs 0.1.0: a Java implementation of ovs-vswitchd\n", b.stdout);
        for (String[] args : new String[][] {{"-vnosuchmodule", "--version"}, {"--version", "-vnosuchmodule"},
            {"-vnosuchmodule:dbg", "--detach", "--pidfile"}, {"-vofproto_dpif:file:dbg", "--version"}}) {
            a = real.run(30, prepend(REAL_VSWITCHD, args));
            b = ours.run(30, prepend(DaemonHarness.LAUNCHER.toString(), args));
            String withoutJovsLine = b.stdout.replace("jovs 0.1.0: a Java implementation of ovs-vswitchd\n", "");
            assertEquals(a.status + a.stdout + a.stderr, b.status + withoutJovsLine + b.stderr,
                    String.join(" ", args));
        }
    }

    @Test
    void startUpAndExitLogLinesAreOvss() throws Exception {
        long realPid = real.pidFromFile();
        long ourPid = ours.pidFromFile();
        assertEquals(0, real.appctl("exit", "--cleanup").status);
        assertEquals(0, ours.appctl("exit", "--cleanup").status);
        assertTrue(DaemonHarness.waitForExit(realPid, 10_000), "real daemon did not exit");
        assertTrue(DaemonHarness.waitForExit(ourPid, 10_000), "our daemon did not exit");
        List<String> realLog = logLines(real);
        List<String> ourLog = logLines(ours);
        for (List<String> log : List.of(realLog, ourLog)) {
            for (String line : log) {
                assertTrue(!line.matches("[a-z_]+(\\([a-z]+\\))?\\|(WARN|ERR|EMER)\\|.*"), "check_logs fails on " + line);
            }
        }
        // OVS logs the CPUs it found (ovs_numa); ours has no NUMA-aware threads to place.
        realLog.removeIf(l -> l.startsWith("ovs_numa|"));
        // The memory report comes when memory use settles, at a time of its own in each.
        realLog.removeIf(l -> l.startsWith("memory|"));
        ourLog.removeIf(l -> l.startsWith("memory|"));
        // Our worker process says when it starts and ends.
        ourLog.removeIf(l -> l.startsWith("worker(worker)|"));
        assertEquals(realLog, ourLog);
        assertTrue(ourLog.contains("bridge|INFO|ovs-vswitchd (Open vSwitch) 3.1.0"), ourLog.toString());
        assertTrue(ourLog.contains("unixctl|DBG|received request exit[\"--cleanup\"], id=0"), ourLog.toString());
    }

    /**
     * The log's lines without time stamp and serial number ("module|LEVEL|text"), with the run
     * directory written DIR; a multi-line message's lines after its first are left out.
     */
    private static List<String> logLines(DaemonHarness h) throws Exception {
        Path log = h.dir().resolve("ovs-vswitchd.log");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split("\\|", 3);
            if (f.length == 3 && f[0].matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z") && f[1].matches("\\d{5,}")) {
                out.add(f[2].replace(h.dir().toString(), "DIR"));
            }
        }
        return out;
    }

    private static String ok(Result r) {
        assertEquals(0, r.status, r.toString());
        return r.stdout;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
