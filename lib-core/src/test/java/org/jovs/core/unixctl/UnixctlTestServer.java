package org.jovs.core.unixctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jovs.core.Coverage;
import org.jovs.core.Memory;
import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;

/**
 * A unixctl server in a fresh temporary rundir, driven by a main loop on a background thread the
 * way a daemon drives it: run() for the server, Coverage and Memory, then waitFor(), then block().
 * Only that thread touches the server: tests register their commands before the loop starts and
 * talk to the server through its socket. A pipe wakes the loop for shutdown. {@link #close()}
 * stops the loop, closes the server and removes the rundir.
 */
public final class UnixctlTestServer implements AutoCloseable {
    public static final String VERSION = "jovs-test (Open vSwitch) 3.1.0";

    private final Path rundir;
    private final UnixctlServer server;
    private final PollLoop loop = new PollLoop();
    private final int[] wakePipe = new int[2];
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    /** Starts a server on "test.ctl" in a new rundir; 'setup' registers commands before the loop starts. */
    public UnixctlTestServer(Consumer<UnixctlServer> setup) throws IOException {
        this("test.ctl", setup);
    }

    /** Starts a server on 'socketName' (relative to the new rundir, directories created), after 'setup'. */
    public UnixctlTestServer(String socketName, Consumer<UnixctlServer> setup) throws IOException {
        if (Native.libc().pipe2(wakePipe, Native.O_CLOEXEC | Native.O_NONBLOCK) < 0) {
            throw new IOException("pipe2: " + Native.strerror(Native.errno()));
        }
        rundir = Files.createTempDirectory("jovs-unixctl");
        UnixctlServer created = null;
        try {
            Files.createDirectories(rundir.resolve(socketName).getParent());
            created = UnixctlServer.create(socketName, rundir.toString(), "jovs-test", VERSION);
            setup.accept(created);
        } catch (IOException | RuntimeException e) {
            if (created != null) {
                created.close();
            }
            Native.closeQuietly(wakePipe[0]);
            Native.closeQuietly(wakePipe[1]);
            deleteRundir();
            throw e;
        }
        server = created;
        thread = new Thread(this::mainLoop, "unixctl-test-loop");
        thread.setDaemon(true);
        thread.start();
    }

    public String path() {
        return server.path();
    }

    private void wake() {
        Native.libc().write(wakePipe[1], new byte[] {1}, 1);
    }

    private void mainLoop() {
        try {
            ByteBuffer drain = ByteBuffer.allocateDirect(64);
            while (!stopping) {
                server.run();
                Coverage.run();
                Memory.run();

                server.waitFor(loop);
                Coverage.waitFor(loop);
                Memory.waitFor(loop);
                loop.fdWait(wakePipe[0], PollLoop.POLLIN, "test wake pipe");
                if (stopping) {
                    loop.immediateWake();
                }
                loop.block();
                while (Native.libc().read(wakePipe[0], drain, drain.capacity()) > 0) {
                    drain.clear();
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            server.close();
        }
    }

    /** Stops the loop thread, closes the server and removes the rundir; rethrows a loop failure. */
    @Override
    public void close() throws Exception {
        stopping = true;
        wake();
        thread.join(5_000);
        Native.closeQuietly(wakePipe[0]);
        Native.closeQuietly(wakePipe[1]);
        deleteRundir();
        if (thread.isAlive()) {
            throw new IllegalStateException("unixctl test loop did not stop");
        }
        if (failure != null) {
            throw new AssertionError("unixctl test loop failed", failure);
        }
    }

    private void deleteRundir() throws IOException {
        try (Stream<Path> files = Files.walk(rundir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
