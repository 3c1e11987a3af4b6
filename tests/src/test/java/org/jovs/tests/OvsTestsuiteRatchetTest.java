package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The ratchet on Open vSwitch's own test suite: every group listed in
 * {@code tests/ovs-testsuite-ratchet.txt} (groups of OVS v3.1.0's testsuite that pass against our
 * daemon) must still pass against the daemon of this build. The groups run through the harness
 * beside the repository ({@code ../shared/ovs-testsuite/run.sh}, one run per suite with
 * {@code GROUPS_ONLY}), with a directory holding an {@code ovs-vswitchd} that execs our launcher
 * first on PATH. Its results stay in {@code tests/target/ovs-testsuite-ratchet/}. Without the
 * harness directory the test is skipped; anything else it lacks is a failure.
 *
 * <p>{@code bench/conformance --update-ratchet} adds the groups that pass to the list.
 */
class OvsTestsuiteRatchetTest {
    static final Path HARNESS = DaemonHarness.TOP.resolve("../shared/ovs-testsuite").normalize();
    static final Path RATCHET = DaemonHarness.TOP.resolve("tests/ovs-testsuite-ratchet.txt");
    static final Path OUT = DaemonHarness.TOP.resolve("tests/target/ovs-testsuite-ratchet");
    /** The harness kills a suite after SUITE_TIMEOUT (1200 s by default); this is a last resort. */
    static final int SUITE_WAIT_SEC = 1500;

    /** "SUITE GROUP  # title". */
    private static final Pattern RATCHET_LINE = Pattern.compile("^(\\S+)\\s+(\\d+)\\s*(?:#\\s*(.*))?$");
    /** A group's line in the harness's SUITE/stdout.txt: "NNN: title   ok", "... FAILED (f.at:L)", ... */
    private static final Pattern RESULT_LINE = Pattern.compile(
            "^\\s*(\\d+): .*?\\s*(ok|FAILED \\(.*\\)|skipped \\(.*\\)|expected failure.*|UNEXPECTED PASS)$");

    @Test
    void everyGroupOfTheRatchetStillPasses() throws Exception {
        assumeTrue(Files.isDirectory(HARNESS), "no OVS testsuite harness at " + HARNESS
                + " (../shared/ovs-testsuite beside the repository), so the ratchet is not checked");
        assertTrue(Files.isRegularFile(DaemonHarness.LAUNCHER.resolveSibling("target/ovs-vswitchd.jar")),
                "our daemon is not built: mvn -B -q package -DskipTests");
        Map<String, Map<Integer, String>> ratchet = readRatchet();
        deleteTree(OUT);
        Path bin = Files.createDirectories(OUT.resolve("bin"));
        Path wrapper = bin.resolve("ovs-vswitchd");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + DaemonHarness.LAUNCHER + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path results = OUT.resolve("results");

        List<String> failed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        long start = System.nanoTime();
        for (Map.Entry<String, Map<Integer, String>> e : ratchet.entrySet()) {
            String suite = e.getKey();
            Map<Integer, String> groups = e.getValue();
            Map<Integer, String> status = runSuite(suite, groups.keySet(), bin, results);
            for (Map.Entry<Integer, String> g : groups.entrySet()) {
                String s = status.getOrDefault(g.getKey(), "no result");
                String line = suite + " " + g.getKey() + " (" + g.getValue() + "): " + s;
                if (s.equals("ok") || s.startsWith("expected failure")) {
                    continue;
                } else if (s.startsWith("skipped")) {
                    skipped.add(line);
                } else {
                    failed.add(line);
                    details.append(tails(results.resolve(suite), g.getKey()));
                }
            }
        }
        long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        int total = ratchet.values().stream().mapToInt(Map::size).sum();
        System.out.printf("%d ratchet groups in %d suite(s): %d failed, %d skipped, in %d s; results in %s%n",
                total, ratchet.size(), failed.size(), skipped.size(), secs, results);
        skipped.forEach(s -> System.out.println("skipped (environment): " + s));
        if (!failed.isEmpty()) {
            fail(failed.size() + " of the " + total + " groups of " + RATCHET.getFileName()
                    + " failed against our ovs-vswitchd (they passed before; the full logs are in " + results
                    + "/SUITE/testsuite.dir/NNNN/):\n  " + String.join("\n  ", failed) + "\n" + causes(results)
                    + details);
        }
    }

    /** The ratchet file's groups by suite, in the file's order of suites; titles by group. */
    private static Map<String, Map<Integer, String>> readRatchet() throws IOException {
        Map<String, Map<Integer, String>> bySuite = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(RATCHET)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = RATCHET_LINE.matcher(line.strip());
            assertTrue(m.matches(), RATCHET.getFileName() + ":" + n + ": not 'SUITE GROUP  # title': " + line);
            bySuite.computeIfAbsent(m.group(1), k -> new TreeMap<>())
                    .put(Integer.parseInt(m.group(2)), m.group(3) == null ? "" : m.group(3).strip());
        }
        return bySuite;
    }

    /** Runs 'groups' of 'suite' through the harness; returns each group's status as printed. */
    private static Map<Integer, String> runSuite(String suite, Iterable<Integer> groups, Path bin, Path results)
            throws IOException, InterruptedException {
        List<String> numbers = new ArrayList<>();
        groups.forEach(g -> numbers.add(g.toString()));
        Path output = OUT.resolve(suite + ".harness.txt");
        ProcessBuilder pb = new ProcessBuilder(HARNESS.resolve("run.sh").toString(), suite);
        pb.environment().put("VSWITCHD_DIR", bin.toString());
        pb.environment().put("RESULTS_DIR", results.toString());
        pb.environment().put("GROUPS_ONLY", String.join(" ", numbers));
        pb.environment().remove("JOVS_DAEMON_STAGE");
        pb.redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(new File("/dev/null"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(SUITE_WAIT_SEC, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("the harness did not finish " + suite + " in " + SUITE_WAIT_SEC + " s:\n" + read(output));
        }
        String said = read(output);
        System.out.printf("%s (groups %s): %d s%n%s", suite, String.join(" ", numbers),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), said);
        assertEquals(0, p.exitValue(), "the harness failed on " + suite + ":\n" + said);
        assertTrue(said.contains("ovs-vswitchd: " + bin.resolve("ovs-vswitchd") + " "),
                "the harness did not run our ovs-vswitchd:\n" + said);
        Map<Integer, String> status = new TreeMap<>();
        Path stdout = results.resolve(suite).resolve("stdout.txt");
        if (Files.exists(stdout)) {
            for (String line : read(stdout).split("\n")) {
                Matcher m = RESULT_LINE.matcher(line);
                if (m.matches()) {
                    status.put(Integer.parseInt(m.group(1)), m.group(2));
                }
            }
        }
        return status;
    }

    /** The end of a failed group's testsuite.log (without the logs autotest appends) and of its
     *  ovs-vswitchd.log. */
    private static String tails(Path suiteDir, int group) throws IOException {
        Path dir = suiteDir.resolve("testsuite.dir").resolve(String.format("%04d", group));
        StringBuilder sb = new StringBuilder();
        Path log = dir.resolve("testsuite.log");
        if (Files.exists(log)) {
            List<String> lines = read(log).lines().filter(l -> !l.startsWith("> "))
                    .collect(Collectors.toList());
            sb.append("\n---- ").append(log).append(" (last 40 lines, appended logs left out)\n");
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
        } else {
            sb.append("\n---- no ").append(log).append('\n');
        }
        Path vswitchd = dir.resolve("ovs-vswitchd.log");
        if (Files.exists(vswitchd)) {
            List<String> lines = read(vswitchd).lines().collect(Collectors.toList());
            sb.append("---- ").append(vswitchd).append(" (last 20 lines)\n");
            lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    /** What bench/conformance-classify says about the failed groups, if it can run. */
    private static String causes(Path results) {
        try {
            Process p = new ProcessBuilder(DaemonHarness.TOP.resolve("bench/conformance-classify").toString(),
                    results.toString()).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? "\n" + said : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** A file's text; bytes that are not UTF-8 become replacement characters. */
    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
