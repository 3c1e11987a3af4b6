package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;

/**
 * A worker client for one test, driven by a real PollLoop, with the worker's output captured in a
 * file so that tests can check its messages. Closes the client in {@link #close()}.
 */
final class Harness implements AutoCloseable {
    final Path dir;
    final Path workerLog;
    final WorkerOptions options;
    final WorkerClient client;
    final PollLoop loop = new PollLoop();

    /** 'dir' is the test's private temp directory. */
    Harness(Path dir, WorkerOptions options) {
        this.dir = dir;
        this.workerLog = dir.resolve("worker.log");
        this.options = options.output(Redirect.appendTo(workerLog.toFile()));
        this.client = new WorkerClient(options);
        client.register(TestHandlers.SEQUENCED, DeathPolicy.REPLAY);
        client.register(TestHandlers.PIPE_WRITE, DeathPolicy.REPLAY);
        client.register(TestHandlers.BIG_REPLY, DeathPolicy.REPLAY);
        client.register(TestHandlers.APPEND_LINE, DeathPolicy.REPLAY);
        client.register(TestHandlers.ECHO, DeathPolicy.REPLAY);
        client.register(TestHandlers.NOOP, DeathPolicy.REPLAY);
        client.register(TestHandlers.CRASH, DeathPolicy.REPLAY);
        client.register(TestHandlers.ROGUE, DeathPolicy.REPLAY);
        client.register(TestHandlers.BAD_REPLY, DeathPolicy.FAIL);
    }

    Harness start() throws IOException {
        client.start();
        return this;
    }

    /** Runs the main loop until 'done' is true; fails after 'timeoutMs'. */
    void pump(BooleanSupplier done, long timeoutMs, String what) {
        long deadline = TimeVal.msec() + timeoutMs;
        for (;;) {
            client.run();
            if (done.getAsBoolean()) {
                return;
            }
            if (TimeVal.msec() > deadline) {
                fail("timed out waiting for " + what + "\n" + client.show());
            }
            client.waitFor(loop);
            loop.timerWait(100);
            loop.block();
        }
    }

    /** Runs the main loop until every request is acknowledged and every callback has run. */
    void settle(long timeoutMs) {
        pump(() -> client.queuedRequests() == 0, timeoutMs, "the queue to empty");
    }

    String workerLog() throws IOException {
        return Files.exists(workerLog) ? Files.readString(workerLog) : "";
    }

    @Override
    public void close() {
        client.close();
    }
}
