package org.jovs.core;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;

import sun.misc.Signal;

/**
 * Brings signals to the main loop instead of to arbitrary threads, like OVS's signals.c.
 *
 * <p>The JVM runs signal handlers on a thread of its own. Ours only records the signal and writes
 * one byte to a non-blocking self-pipe, so the main loop's poll(2) wakes up; the main thread then
 * asks {@link #poll(int)} whether a signal arrived and acts on it in its own time. Installing a
 * handler for SIGTERM or SIGINT replaces the JVM's shutdown-hook behaviour for that signal.
 */
public final class SignalWatcher implements AutoCloseable {
    private static final int MAX_SIGNAL = 64;

    private final int[] pipe = new int[2];
    private final AtomicIntegerArray pending = new AtomicIntegerArray(MAX_SIGNAL + 1);
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);

    /** Creates the watcher and installs a handler for each of 'signals' (numbers, e.g. SIGTERM). */
    public SignalWatcher(int... signals) throws NativeException {
        Native.check(Native.libc().pipe2(pipe, Native.O_NONBLOCK | Native.O_CLOEXEC), "pipe2");
        for (int signo : signals) {
            Signal.handle(new Signal(name(signo)), s -> {
                pending.set(s.getNumber(), 1);
                // A full pipe already guarantees a wakeup, so a failed write needs no handling.
                Native.libc().write(pipe[1], new byte[] {(byte) s.getNumber()}, 1);
            });
        }
    }

    /** Returns true, once, if 'signo' arrived since the last call. Main thread only. */
    public boolean poll(int signo) {
        drainPipe();
        return pending.getAndSet(signo, 0) != 0;
    }

    /** Wakes the loop when any watched signal arrives. */
    public void waitFor(PollLoop loop) {
        loop.fdWait(pipe[0], PollLoop.POLLIN, "SignalWatcher");
    }

    private void drainPipe() {
        while (Native.libc().read(pipe[0], drain, drain.capacity()) > 0) {
            // Keep reading: the bytes only served to wake us.
        }
    }

    /** Restores the default action for 'signo' and sends it to this process, after cleanup. */
    public static void raiseDefault(int signo) {
        Signal.handle(new Signal(name(signo)), sun.misc.SignalHandler.SIG_DFL);
        Native.libc().kill(Native.libc().getpid(), signo);
    }

    /** The signal name the JVM uses for 'signo'. */
    public static String name(int signo) {
        switch (signo) {
        case Native.SIGHUP:
            return "HUP";
        case Native.SIGINT:
            return "INT";
        case Native.SIGTERM:
            return "TERM";
        case Native.SIGABRT:
            return "ABRT";
        default:
            throw new IllegalArgumentException("unsupported signal " + signo);
        }
    }

    @Override
    public void close() {
        Native.closeQuietly(pipe[0]);
        Native.closeQuietly(pipe[1]);
    }
}
