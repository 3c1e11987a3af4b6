package org.jovs.core.unixctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real /usr/bin/ovs-appctl against a socket and collects what it printed. */
public final class Appctl {
    public static final String PROGRAM = "/usr/bin/ovs-appctl";

    /** What one ovs-appctl run printed and its exit status. */
    public record Result(int status, String stdout, String stderr) {
    }

    private Appctl() {
    }

    /** Starts ovs-appctl -t 'socket' 'args' without waiting for it. */
    public static Process start(String socket, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PROGRAM, "--timeout=10", "-t", socket));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    /** Waits for 'p' (at most 15 s) and collects its output. */
    public static Result finish(Process p) throws IOException, InterruptedException {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-appctl did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Runs ovs-appctl -t 'socket' 'args' to completion. */
    public static Result run(String socket, String... args) throws IOException, InterruptedException {
        return finish(start(socket, args));
    }
}
