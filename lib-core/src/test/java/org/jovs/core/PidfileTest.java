package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jovs.core.natives.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pidfiles: content, the fcntl lock that readers check, stale files, and removal. */
class PidfileTest {
    @TempDir
    Path dir;

    @Test
    void holdsOurPidUnderALock() throws Exception {
        String path = dir.resolve("d.pid").toString();
        try (Pidfile p = Pidfile.create(path, false)) {
            int me = Native.libc().getpid();
            assertEquals(me + "\n", Files.readString(Path.of(path)));
            // F_GETLK never reports the caller's own locks; the lock as other processes see it
            // is checked by the integration tests through the real ovs-appctl.
            try (var s = Files.list(dir)) {
                assertEquals(1, s.count(), "temporary file left behind");
            }
        }
        assertFalse(Files.exists(Path.of(path)), "close() must remove the pidfile");
    }

    @Test
    void anUnlockedPidfileIsStale() throws Exception {
        Path path = dir.resolve("stale.pid");
        Files.writeString(path, "1\n");
        assertEquals(0, Pidfile.runningPid(path.toString()));
        try (Pidfile p = Pidfile.create(path.toString(), false)) {
            assertEquals(Native.libc().getpid() + "\n", Files.readString(path));
        }
    }

    @Test
    void missingPidfileIsNotRunning() throws Exception {
        assertEquals(0, Pidfile.runningPid(dir.resolve("none.pid").toString()));
    }

    @Test
    void createFailsInAMissingDirectory() {
        IOException e = assertThrows(IOException.class,
                () -> Pidfile.create(dir.resolve("no/such/dir.pid").toString(), false));
        assertTrue(e.getMessage().contains("create failed (No such file or directory)"), e.getMessage());
    }
}
