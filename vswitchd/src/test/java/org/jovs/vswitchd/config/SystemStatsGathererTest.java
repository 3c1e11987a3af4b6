package org.jovs.vswitchd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** System statistics in OVS 3.1's keys and formats, read from this machine. */
class SystemStatsGathererTest {
    @Test
    void keysAndFormats() throws Exception {
        Path dir = Files.createTempDirectory("jovs-stats-");
        Path pidfile = dir.resolve("test-daemon.pid");
        Path bad = dir.resolve("gone.pid");
        try {
            Files.writeString(pidfile, ProcessHandle.current().pid() + "\n");
            Files.writeString(bad, "999999999\n");
            Map<String, String> stats = SystemStatsGatherer.gather(dir);

            assertTrue(stats.get("cpu").matches("[1-9]\\d*"), stats.toString());
            assertTrue(stats.get("load_average").matches("\\d+\\.\\d\\d,\\d+\\.\\d\\d,\\d+\\.\\d\\d"), stats.toString());
            assertTrue(stats.get("memory").matches("\\d+,\\d+,\\d+,\\d+,\\d+"), stats.toString());
            String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
            assertEquals(memTotal, stats.get("memory").split(",")[0]);
            // vsz,rss,cputime,crashes,booted,uptime,core: this JVM has run for a while, never crashed.
            String[] p = stats.get("process_test-daemon").split(",");
            assertEquals(7, p.length, stats.toString());
            assertTrue(Long.parseLong(p[0]) > Long.parseLong(p[1]) && Long.parseLong(p[1]) > 0, stats.toString());
            assertEquals("0", p[3]);
            assertTrue(Long.parseLong(p[5]) > 0 && Long.parseLong(p[5]) < 24L * 3600 * 1000, stats.toString());
            assertEquals("", stats.get("process_gone"));
            assertTrue(stats.get("file_systems").matches("\\S+,\\d+,\\d+( \\S+,\\d+,\\d+)*"), stats.toString());
        } finally {
            Files.delete(pidfile);
            Files.delete(bad);
            Files.delete(dir);
        }
    }
}
