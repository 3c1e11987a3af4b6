package org.jovs.utilities;

import java.io.IOException;

/**
 * The -T/--timeout alarm of OVS's command-line tools: when it goes off, the program logs
 * "terminating with signal 14 (Alarm clock)" and dies by SIGALRM, so that its parent sees
 * exactly what it sees when the C program times out.
 *
 * <p>A daemon thread sleeps until the deadline; the main thread {@link #cancel()}s the alarm
 * once it has its answer and before it prints anything, so that a program never both answers and
 * times out. Java cannot raise a signal with its default action on itself, so kill(1) sends it;
 * loading a native library for one kill(2) would cost more and leave its extracted copy behind
 * when the signal ends the process.
 */
final class Alarm {
    private static final int SIGALRM = 14;

    private final Vlog vlog;
    private boolean cancelled;
    private boolean fired;

    private Alarm(Vlog vlog) {
        this.vlog = vlog;
    }

    /** Sets an alarm 'secs' seconds from now. */
    static Alarm set(long secs, Vlog vlog) {
        Alarm alarm = new Alarm(vlog);
        long deadline = System.nanoTime() + secs * 1_000_000_000L;
        Thread t = new Thread(() -> alarm.await(deadline), "alarm");
        t.setDaemon(true);
        t.start();
        return alarm;
    }

    private void await(long deadline) {
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0;) {
                Thread.sleep(left / 1_000_000 + 1);
            }
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (cancelled) {
                return;
            }
            fired = true;
            try {
                vlog.warn("fatal_signal", "terminating with signal " + SIGALRM + " (Alarm clock)");
            } catch (Exit e) {
                // Logging for the first time found a fatal error (a bad OVS_SYSLOG_METHOD).
                System.exit(e.status);
            }
            raiseSigalrm();
        }
    }

    private static void raiseSigalrm() {
        try {
            new ProcessBuilder("kill", "-s", "ALRM", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start().waitFor();
            Thread.sleep(1000);
        } catch (IOException | InterruptedException e) {
            // No kill(1): fall through to the status a shell shows for death by SIGALRM.
        }
        Runtime.getRuntime().halt(128 + SIGALRM);
    }

    /** Stops the alarm; if it has already gone off, waits for the signal to end the process. */
    synchronized void cancel() {
        while (fired) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cancelled = true;
    }
}
