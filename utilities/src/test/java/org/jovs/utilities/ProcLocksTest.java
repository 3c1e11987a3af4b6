package org.jovs.utilities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;

/** Finding the holder of an fcntl lock in /proc/locks, as F_GETLK would report it. */
class ProcLocksTest {
    private static final String LOCKS = String.join("\n",
            "1: FLOCK  ADVISORY  WRITE 300 fe:00:77 0 EOF",
            "2: POSIX  ADVISORY  WRITE 400 08:11:99 0 EOF",
            "2: -> POSIX  ADVISORY  WRITE 500 fe:00:77 0 EOF",
            "3: POSIX  ADVISORY  READ 600 fe:00:77 0 EOF",
            "4: OFDLCK ADVISORY  WRITE -1 00:2b:123 0 EOF",
            "5: POSIX  ADVISORY  WRITE 700 00:31:99 0 EOF",
            "");

    @Test
    void holderIsTheFirstPosixLockOnTheFile() {
        // flock() locks and waiters ("->") do not count.
        assertEquals(600, ProcLocks.holder(LOCKS, 0xfe00, 77));
        assertEquals(400, ProcLocks.holder(LOCKS, dev(8, 0x11), 99));
        assertEquals(ProcLocks.NONE, ProcLocks.holder(LOCKS, 0xfe00, 78));
    }

    @Test
    void openFileDescriptionLocksHaveNoPid() {
        assertEquals(-1, ProcLocks.holder(LOCKS, dev(0, 0x2b), 123));
    }

    @Test
    void inodeAloneMatchesWhenNoDeviceDoes() {
        // As on overlayfs, where stat() shows another device than /proc/locks.
        assertEquals(400, ProcLocks.holder(LOCKS, dev(0, 0x40), 99));
    }

    @Test
    void devicesBeyondEightBitsSplitAsGlibcDoes() {
        long dev = dev(259, 0x12345);
        assertEquals(259, ProcLocks.major(dev));
        assertEquals(0x12345, ProcLocks.minor(dev));
        assertEquals(42, ProcLocks.holder("1: POSIX  ADVISORY  WRITE 42 103:12345:5 0 EOF\n", dev, 5));
    }

    @Test
    void findsALockThisProcessHolds() throws Exception {
        Path p = Files.createTempFile("proclocks", ".pid");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            long dev = (Long) Files.getAttribute(p, "unix:dev");
            long ino = (Long) Files.getAttribute(p, "unix:ino");
            assertEquals(ProcLocks.NONE, ProcLocks.holder(Files.readString(Path.of("/proc/locks")), dev, ino));
            try (FileLock lock = ch.lock()) {
                assertEquals(ProcessHandle.current().pid(),
                        ProcLocks.holder(Files.readString(Path.of("/proc/locks")), dev, ino));
            }
        } finally {
            Files.delete(p);
        }
    }

    /** A dev_t in glibc's encoding. */
    private static long dev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }
}
