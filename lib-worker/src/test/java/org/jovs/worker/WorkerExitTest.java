package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jovs.core.natives.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-process behaviour, with a small test daemon in its own JVM (same java and class path):
 * abort on worker death under FailureMode.ABORT, and a worker that outlives its main process to
 * finish the queued work.
 */
class WorkerExitTest {
    @TempDir
    Path dir;

    /** Starts 'mainClass' with core dumps off, its stderr in 'stderr'; stdout stays a pipe. */
    private static Process startMain(Class<?> mainClass, Path stderr, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "-c", "ulimit -c 0 && exec \"$@\"", "bash",
                java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }

    private static String firstLine(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null, "test daemon printed nothing");
        return line;
    }

    @Test
    void abortModeLogsEmerAndAbortsWhenTheWorkerDies() throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process main = startMain(AbortOnDeathMain.class, stderr);
        try {
            String line = firstLine(main);
            assertTrue(line.startsWith("worker-pid "), line);
            long workerPid = Long.parseLong(line.substring("worker-pid ".length()));
            assertEquals(0, Native.libc().kill((int) workerPid, Native.SIGKILL));
            assertTrue(main.waitFor(30, TimeUnit.SECONDS), "test daemon did not exit");
            assertEquals(128 + Native.SIGABRT, main.exitValue(), Files.readString(stderr));
            String log = Files.readString(stderr);
            assertTrue(log.matches("(?s).*\\|main\\|worker\\|ERROR\\|EMER\\|(receive from worker failed|send failed) "
                    + "\\((End of file|Connection reset by peer|Broken pipe)\\)\n.*"), log);
        } finally {
            main.destroyForcibly();
        }
    }

    @Test
    void workerFinishesQueuedRequestsAfterTheMainProcessExits() throws Exception {
        ChildReaper.becomeSubreaper();
        Path stderr = dir.resolve("stderr.txt");
        Path file = dir.resolve("log.txt");
        Path gate = dir.resolve("gate");
        int n = 100_000;
        int held = 1000;
        /* The worker waits before the last 'held' lines until the gate exists, which the test
         * creates only once the main process has exited: the worker surely outlives it. */
        Process main = startMain(ExitWithQueueMain.class, stderr, file.toString(), String.valueOf(n), gate.toString(),
                String.valueOf(n - held));
        String line = firstLine(main);
        assertTrue(main.waitFor(60, TimeUnit.SECONDS), "test daemon did not exit");
        Files.createFile(gate);
        assertEquals(0, main.exitValue(), Files.readString(stderr));
        String[] words = line.split(" ");
        assertEquals("worker-pid", words[0], line);
        long workerPid = Long.parseLong(words[1]);
        long unacked = Long.parseLong(words[3]);
        assertTrue(unacked >= held, "unacknowledged at exit: " + unacked);
        assertEquals("exit 0", ChildReaper.await(workerPid, 60_000), Files.readString(stderr));

        List<String> lines = Files.readAllLines(file);
        assertEquals(n, lines.size());
        for (int i = 0; i < n; i++) {
            assertEquals("line " + i, lines.get(i));
        }
        String log = Files.readString(stderr);
        assertTrue(log.contains("|worker|worker|DEBUG||worker process exiting"), log);
        assertTrue(!log.contains("EMER"), log);
        System.out.printf("main process exited with %d requests unacknowledged; the worker finished them%n",
                unacked);
    }
}
