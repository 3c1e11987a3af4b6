package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jovs.core.Fatal;
import org.jovs.core.natives.Native;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file on real files: line format, -vPATTERN:file, open/reopen/close as vlog/reopen and
 * vlog/close do them, the file mode, and write errors on /dev/full (a real ENOSPC).
 */
class LogFileTest {
    private static final Pattern DEFAULT_LINE = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z)\\|(\\d{5})\\|([^|]+)\\|"
            + "(EMER|ERR|WARN|INFO|DBG)\\|(.*)");
    private static final Logger LOG = LoggerFactory.getLogger("logfile_test");

    @TempDir
    Path dir;
    private TestEngine t;

    @BeforeEach
    void setUp() throws Exception {
        t = new TestEngine();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.readAllLines(p);
    }

    @Test
    void defaultFilePattern() throws Exception {
        Path file = dir.resolve("ovs-vswitchd.log");
        Instant before = Instant.now().minusMillis(1);
        assertEquals(0, t.engine.setLogFile(file.toString()));
        LOG.info("hello {}", 42);
        LOG.warn("careful");
        LOG.debug("not logged: dbg is off by default");
        LOG.error("broken");
        LOG.error(Fatal.EMER, "emergency");
        Instant after = Instant.now().plusMillis(1);

        List<String> lines = lines(file);
        assertEquals(5, lines.size(), lines.toString());
        String[][] expected = {
            {"vlog", "INFO", "opened log file " + file},
            {"logfile_test", "INFO", "hello 42"},
            {"logfile_test", "WARN", "careful"},
            {"logfile_test", "ERR", "broken"},
            {"logfile_test", "EMER", "emergency"},
        };
        long firstSerial = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = DEFAULT_LINE.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            Instant when = Instant.parse(m.group(1));
            assertFalse(when.isBefore(before) || when.isAfter(after), lines.get(i));
            long serial = Long.parseLong(m.group(2));
            if (i == 0) {
                firstSerial = serial;
            }
            assertEquals(firstSerial + i, serial, "serial numbers count every message");
            assertEquals(expected[i][0], m.group(3));
            assertEquals(expected[i][1], m.group(4));
            assertEquals(expected[i][2], m.group(5));
        }
        // The console, with its own default pattern, got the same messages.
        assertTrue(t.console().matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|\\d{5}\\|"
                + "vlog\\|INFO\\|opened log file .*\\|logfile_test\\|EMER\\|emergency\n"), t.console());
    }

    @Test
    void patternSpecGivesExactlyThatFormat() throws Exception {
        t.engine.setVerbosity("PATTERN:file:%c|%p|%m");
        t.engine.setVerbosity("logfile_test:file:dbg");
        Path file = dir.resolve("p.log");
        t.engine.setLogFile(file.toString());
        LOG.trace("traced");
        LOG.debug("two\nlines");
        LOG.warn("w");
        assertEquals(List.of("vlog|INFO|opened log file " + file, "logfile_test|DBG|traced",
                "logfile_test|DBG|two", "lines", "logfile_test|WARN|w"), lines(file));
    }

    @Test
    void reopenAfterRotationThenReopenWithNothingMoved() throws Exception {
        Path file = dir.resolve("r.log");
        Path rotated = dir.resolve("r.log.1");
        t.engine.setLogFile(file.toString());
        LOG.info("before rotation");
        Files.move(file, rotated);

        assertEquals("", VlogCommands.REOPEN.action().run(List.of()));
        LOG.info("after rotation");
        List<String> old = lines(rotated);
        assertTrue(old.get(old.size() - 1).endsWith("|vlog|INFO|closing log file"), old.toString());
        assertEquals(3, old.size(), old.toString());
        List<String> fresh = lines(file);
        assertEquals(2, fresh.size(), fresh.toString());
        assertTrue(fresh.get(0).endsWith("|vlog|INFO|opened log file " + file));
        assertTrue(fresh.get(1).endsWith("|logfile_test|INFO|after rotation"));

        long oldSize = Files.size(rotated);
        long freshSize = Files.size(file);
        assertEquals("", VlogCommands.REOPEN.action().run(List.of()));
        assertEquals(0, Vlog.reopenLogFile());
        assertEquals(oldSize, Files.size(rotated), "same dev/inode: nothing is logged");
        assertEquals(freshSize, Files.size(file), "same dev/inode: nothing is logged");
    }

    @Test
    void closeThenReopen() throws Exception {
        Path file = dir.resolve("c.log");
        t.engine.setLogFile(file.toString());
        assertEquals("", VlogCommands.CLOSE.action().run(List.of()));
        LOG.info("while closed");
        assertEquals(1, lines(file).size());
        assertTrue(t.console().contains("|logfile_test|INFO|while closed"));
        VlogCommands.REOPEN.action().run(List.of());
        List<String> lines = lines(file);
        assertEquals(2, lines.size(), "a closed file is reopened without \"closing log file\"");
        assertTrue(lines.get(1).endsWith("|vlog|INFO|opened log file " + file));
    }

    @Test
    void reopenWithoutLogFile() throws Exception {
        VlogException e = assertThrows(VlogException.class,
                () -> VlogCommands.REOPEN.action().run(List.of()));
        assertEquals("Logging to file not configured", e.getMessage());
        assertEquals("", VlogCommands.CLOSE.action().run(List.of()), "close is harmless");
    }

    @Test
    void reopenFailureRepliesWithStrerror() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("f.log");
        t.engine.setLogFile(file.toString());
        Files.move(sub, dir.resolve("gone"));
        VlogException e = assertThrows(VlogException.class,
                () -> VlogCommands.REOPEN.action().run(List.of()));
        assertEquals("No such file or directory", e.getMessage());
        assertTrue(t.console().contains("|vlog|WARN|failed to open " + file
                + " for logging: No such file or directory\n"), t.console());
        LOG.info("still logging to the old file");
        assertTrue(Files.readString(dir.resolve("gone/f.log")).contains("still logging"));
    }

    @Test
    void openFailureIsLoggedAndReturned() {
        assertEquals(Native.ENOENT, t.engine.setLogFile(dir.resolve("no/such.log").toString()));
        assertTrue(t.console().contains("|vlog|WARN|failed to open " + dir.resolve("no/such.log")
                + " for logging: No such file or directory"), t.console());
        assertEquals(null, t.engine.logFileName());
    }

    @Test
    void createdWithMode0660LessUmask() throws Exception {
        Path file = dir.resolve("mode.log");
        t.engine.setLogFile(file.toString());
        int umask = 022;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Umask:")) {
                umask = Integer.parseInt(line.substring(6).trim(), 8);
            }
        }
        int mode = 0660 & ~umask;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        assertEquals(PosixFilePermissions.toString(permissions(mode)),
                PosixFilePermissions.toString(perms));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    @Test
    void aLineLeftCutByAnotherWriterIsEndedBeforeTheNextOne() throws Exception {
        Path file = dir.resolve("cut.log");
        Files.writeString(file, "whole\nhalf a li");
        int fd = Native.libc().open(file.toString(), Native.O_WRONLY | Native.O_APPEND, 0);
        try {
            DirectLogFileWriter w = new DirectLogFileWriter();
            w.fileChanged(fd);
            w.checkForCutLine();
            assertEquals(0, w.write("next\n".getBytes(StandardCharsets.UTF_8)));
            w.checkForCutLine();
            assertEquals(0, w.write("last\n".getBytes(StandardCharsets.UTF_8)));
        } finally {
            Native.closeQuietly(fd);
        }
        assertEquals("whole\nhalf a li\nnext\nlast\n", Files.readString(file));
    }

    @Test
    void writeErrorsAreReportedOncePerMinuteAndLoggingResumes() throws Exception {
        assertEquals(0, t.engine.setLogFile("/dev/full"));
        for (int i = 0; i < 50; i++) {
            LOG.info("lost {}", i);
        }
        String console = t.console();
        String report = "|vlog|WARN|failed to write to log file /dev/full: No space left on device\n";
        assertEquals(console.indexOf(report), console.lastIndexOf(report), console);
        assertTrue(console.contains(report), console);

        Path file = dir.resolve("good.log");
        assertEquals(0, t.engine.setLogFile(file.toString()));
        LOG.info("back");
        List<String> lines = lines(file);
        assertTrue(lines.get(0).endsWith("|vlog|INFO|opened log file " + file), lines.toString());
        // Lost: "opened log file /dev/full", 50 messages, "closing log file".
        assertTrue(lines.get(1).endsWith("|vlog|INFO|resumed writing to log file " + file
                + " after losing 52 messages"), lines.toString());
        assertTrue(lines.get(2).endsWith("|logfile_test|INFO|back"), lines.toString());
    }
}
