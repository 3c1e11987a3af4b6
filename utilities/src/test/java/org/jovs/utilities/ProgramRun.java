package org.jovs.utilities;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program to completion with a given environment and returns its exit status and output,
 * for comparing two programs. Output goes through files in 'scratch', so a large output never
 * blocks the program. A status above 128 means "killed by signal status-128", as the JDK reports.
 */
record ProgramRun(int status, String stdout, String stderr) {
    static ProgramRun run(List<String> argv, Map<String, String> env, Path scratch, int timeoutSec)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().keySet().removeIf(k -> k.startsWith("OVS_") || k.equals("JOVS_JAVA_OPTS"));
        pb.environment().putAll(env);
        pb.redirectInput(new File("/dev/null"));
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(argv + " did not finish in " + timeoutSec + " s");
            }
            return new ProgramRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
    }
}
