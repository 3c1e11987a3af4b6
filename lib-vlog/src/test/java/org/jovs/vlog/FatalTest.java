package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fatal exits in a real child JVM ({@link FatalChild}): the EMER line must be in the log file
 * before the process dies, stderr must get "ovs-vswitchd: message" instead of a console copy,
 * even when the module's levels are all off, and log file names follow OVS_LOGDIR. The child also
 * has the test logback.xml on its class path, which vlog must ignore.
 */
class FatalTest {
    @TempDir
    Path dir;

    private record Result(int status, String stderr) {
    }

    private Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FatalChild.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OVS_LOGDIR", dir.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not exit; stderr: " + stderr);
        }
        return new Result(p.exitValue(), stderr);
    }

    @Test
    void emerLineReachesTheDefaultLogFileAndStderrGetsOvsFatalFormat() throws Exception {
        Result r = run("");
        assertEquals(1, r.status, r.stderr);
        Path log = dir.resolve("ovs-vswitchd.log");
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("|vlog|INFO|opened log file " + log), lines.toString());
        assertTrue(lines.get(1).endsWith("|fatal_child|INFO|about to die"), lines.toString());
        assertTrue(lines.get(2).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\|00004\\|fatal_child\\|EMER\\|"
                + "cannot continue: reason"), lines.toString());

        // Even before init, vlog (not the logback.xml on the class path) formats the console.
        String[] err = r.stderr.split("\n");
        assertEquals(4, err.length, r.stderr);
        assertTrue(err[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|00001\\|"
                + "fatal_child\\|INFO\\|before init"), r.stderr);
        assertTrue(err[1].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|00002\\|vlog\\|INFO\\|"
                + "opened log file .*"), r.stderr);
        assertTrue(err[2].endsWith("|fatal_child|INFO|about to die"), r.stderr);
        assertEquals("ovs-vswitchd: cannot continue: reason", err[3]);
        assertFalse(r.stderr.contains("LOGBACK-XML"), "logback.xml must be ignored");
    }

    @Test
    void fatalMessageReachesStderrEvenWithTheModuleOff() throws Exception {
        Result r = run("relative.log", "fatal_child:off");
        assertEquals(1, r.status, r.stderr);
        Path log = dir.resolve("relative.log");
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size(), "nothing from fatal_child: " + lines);
        assertTrue(lines.get(0).endsWith("|vlog|INFO|opened log file " + log), lines.toString());
        assertTrue(r.stderr.endsWith("|vlog|INFO|opened log file " + log
                + "\novs-vswitchd: cannot continue: reason\n"), r.stderr);
    }

    @Test
    void explicitLogFileThatCannotBeOpenedExits1() throws Exception {
        Result r = run(dir.resolve("no/such/dir.log").toString());
        assertEquals(1, r.status, r.stderr);
        assertTrue(r.stderr.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|00002\\|vlog\\|WARN\\|"
                + "failed to open " + dir.resolve("no/such/dir.log")
                + " for logging: No such file or directory\n"), r.stderr);
    }
}
