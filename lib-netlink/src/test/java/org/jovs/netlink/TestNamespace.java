package org.jovs.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace for one test, named jovs-nl-RANDOM, created with {@code ip netns add}
 * and deleted by {@link #close()} (which also removes every link created in it). Tests only touch
 * links inside their own namespace.
 */
final class TestNamespace implements AutoCloseable {
    private final String name = "jovs-nl-" + UUID.randomUUID().toString().substring(0, 8);

    TestNamespace() throws IOException {
        run("ip", "netns", "add", name);
    }

    String name() {
        return name;
    }

    /** Runs 'task' on a thread inside the namespace: sockets and taps it opens stay there. */
    <T> T call(Callable<T> task) throws Exception {
        return Netns.call(name, task);
    }

    /** Runs a command inside the namespace; returns its stdout, failing on a non-zero exit. */
    String exec(String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(Arrays.asList(cmd));
        return run(full.toArray(new String[0]));
    }

    /** Runs {@code ip -n NS ARGS...}. */
    String ip(String... args) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "-n", name));
        full.addAll(Arrays.asList(args));
        return run(full.toArray(new String[0]));
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", name);
    }

    /** Runs a command; returns its stdout, failing with its stderr on a non-zero exit. */
    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try (InputStream out = p.getInputStream(); InputStream err = p.getErrorStream()) {
            // Read stderr alongside stdout, so neither pipe can fill up and stall the command.
            CompletableFuture<byte[]> errBytes = CompletableFuture.supplyAsync(() -> {
                try {
                    return err.readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] stdout = out.readAllBytes();
            byte[] stderr = errBytes.join();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + ": exit " + p.exitValue() + ": "
                        + new String(stderr, StandardCharsets.UTF_8));
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
