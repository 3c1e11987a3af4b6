package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.worker.DeathPolicy;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerHandler;
import org.jovs.worker.WorkerOptions;
import org.jovs.worker.WorkerRequest;

/**
 * A real worker process (a child JVM on the test class path, so it loads lib-netlink's handlers)
 * and a real PollLoop that drives it and the modules under test, for one test. The worker's output
 * goes to worker.log in the test's directory. Starting the worker on a thread inside a network
 * namespace puts the worker there too.
 */
final class TestWorker implements AutoCloseable {
    /** Test handler 1001: sleeps for the milliseconds in its 8-byte payload, holding the worker up. */
    static final int STALL = 1001;

    final Path log;
    final WorkerClient client;
    final PollLoop loop = new PollLoop();
    private final List<Runnable> runs = new ArrayList<>();
    private final List<Consumer<PollLoop>> waits = new ArrayList<>();

    TestWorker(Path dir, WorkerOptions options) {
        this.log = dir.resolve("worker.log");
        this.client = new WorkerClient(options.output(Redirect.appendTo(log.toFile())).restartBackoff(50, 1000));
        client.register(STALL, DeathPolicy.FAIL);
        drive(client::run, client::waitFor);
    }

    TestWorker start() throws IOException {
        client.start();
        return this;
    }

    /** Adds a module's run() and waitFor() to the loop. */
    void drive(Runnable run, Consumer<PollLoop> waitFor) {
        runs.add(run);
        waits.add(waitFor);
    }

    /** Runs the main loop until 'done' is true; fails after 'timeoutMs'. */
    void pump(BooleanSupplier done, long timeoutMs, String what) throws IOException {
        long deadline = TimeVal.msec() + timeoutMs;
        for (;;) {
            runs.forEach(Runnable::run);
            if (done.getAsBoolean()) {
                return;
            }
            if (TimeVal.msec() > deadline) {
                fail("timed out waiting for " + what + "\n" + client.show() + "worker log:\n"
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            waits.forEach(w -> w.accept(loop));
            loop.timerWait(100);
            loop.block();
        }
    }

    /** Holds the worker up for 'ms' milliseconds (its requests after this one wait). */
    void stall(long ms) {
        client.request(STALL, ByteBuffer.allocate(8).putLong(0, ms));
    }

    @Override
    public void close() {
        client.close();
    }

    /** The STALL handler, in the worker. */
    public static final class Stall implements WorkerHandler {
        @Override
        public int id() {
            return STALL;
        }

        @Override
        public void handle(WorkerRequest request) throws InterruptedException {
            Thread.sleep(request.payload().getLong(request.payload().position()));
        }
    }
}
