package org.jovs.core;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;

import org.jovs.core.CommandLine.Arg;
import org.jovs.core.natives.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemonization as OVS's daemon-unix.c does it: --pidfile, --overwrite-pidfile, --detach,
 * --no-chdir and --monitor.
 *
 * <p>A JVM cannot fork, so each stage is a new JVM running the same command line, told its role by
 * the environment variable {@value #STAGE_ENV}:
 * <ul>
 * <li>With --detach, the first process starts a copy of itself in a new session (cwd "/" unless
 * --no-chdir) and waits until that copy reports ready on its stdout pipe; then it exits 0, or with
 * the copy's status if the copy died first. So {@code --detach} returns only once the daemon
 * serves.</li>
 * <li>With --monitor, the (detached) process becomes a monitor that starts the real daemon and
 * restarts it when it dies of a crash signal (SIGABRT, SIGSEGV, ...), at most once every 10 s, but
 * not after a clean exit or SIGTERM.</li>
 * </ul>
 * The daemon itself calls {@link #start} early (it returns only there), creates its pidfile there,
 * and calls {@link #complete()} once it is ready to serve.
 */
public final class Daemon implements AutoCloseable {
    static final String STAGE_ENV = "JOVS_DAEMON_STAGE";
    private static final String STAGE_DETACHED = "detached";
    private static final String STAGE_MONITORED = "monitored";
    /** The byte a daemon writes on its stdout pipe when ready: a NUL, which no JVM banner contains. */
    private static final byte READY = 0;

    /** The daemon options a program accepts, with OVS's defaults. */
    public static final class Options {
        /** Pidfile path, or null for none. */
        public String pidfile;
        public boolean overwritePidfile;
        public boolean detach;
        public boolean monitor;
        public boolean chdir = true;
        /** False with --no-self-confinement: then, as OVS, any Unix socket path is accepted for controllers. */
        public boolean selfConfine = true;
    }

    private final Options options;
    private final boolean reportsReady;
    private final Pidfile pidfile;
    private boolean completed;

    private Daemon(Options options, boolean reportsReady, Pidfile pidfile) {
        this.options = options;
        this.reportsReady = reportsReady;
        this.pidfile = pidfile;
    }

    /** Adds OVS's DAEMON_LONG_OPTIONS to 'cl', filling in 'o'. */
    public static void addOptions(CommandLine cl, Options o, String programName) {
        cl.option("detach", Arg.NONE, a -> o.detach = true)
                .option("no-chdir", Arg.NONE, a -> o.chdir = false)
                .option("pidfile", Arg.OPTIONAL, a -> o.pidfile = Dirs.absFileName(Dirs.rundir(),
                        a != null ? a : programName + ".pid"))
                .option("overwrite-pidfile", Arg.NONE, a -> o.overwritePidfile = true)
                .option("monitor", Arg.NONE, a -> o.monitor = true)
                .option("no-self-confinement", Arg.NONE, a -> o.selfConfine = false)
                .option("user", Arg.REQUIRED, a -> {
                    throw new CommandLine.UsageException("--user is not supported");
                });
    }

    /** OVS's daemon_usage() text. */
    public static String usage(String programName) {
        return "\nDaemon options:\n"
                + "  --detach                run in background as daemon\n"
                + "  --pidfile[=FILE]        create pidfile (default: " + Dirs.rundir() + "/" + programName + ".pid)\n"
                + "  --overwrite-pidfile     with --pidfile, start even if already running\n"
                + "  --monitor               creates a process to monitor this daemon\n"
                + "  --no-chdir              do not chdir to '/'\n"
                + "  --no-self-confinement   do not lock down the daemon\n";
    }

    /**
     * With --detach, in the process the user started: starts the detached copy, waits until it is
     * ready and exits, never returning. Otherwise returns at once. Call it as early as possible,
     * before anything slow to initialize (such as logging), since this process only waits.
     */
    public static void detachIfRequested(Options o) throws IOException {
        if (o.detach && System.getenv(STAGE_ENV) == null) {
            detach(o);
        }
    }

    /**
     * OVS's daemonize_start(). In a process that must detach or monitor, this starts the next stage
     * and never returns. In the daemon itself, it creates the pidfile and returns.
     */
    public static Daemon start(Options o) throws IOException {
        detachIfRequested(o);
        String stage = System.getenv(STAGE_ENV);
        if (STAGE_DETACHED.equals(stage)) {
            Native.libc().setsid();
        }
        if (o.monitor && !STAGE_MONITORED.equals(stage)) {
            monitor(o);
        }
        Pidfile pidfile = o.pidfile != null ? Pidfile.create(o.pidfile, o.overwritePidfile) : null;
        return new Daemon(o, stage != null, pidfile);
    }

    /**
     * OVS's daemonize_complete(): tells the waiting parent that the daemon is ready, and detaches
     * from the standard fds if --detach. Idempotent.
     */
    public void complete() {
        if (completed) {
            return;
        }
        completed = true;
        if (options.detach) {
            redirectToDevNull(0);
            redirectToDevNull(2);
        }
        if (reportsReady) {
            Native.libc().write(1, new byte[] {READY}, 1);
            redirectToDevNull(1);
        }
    }

    /** Removes the pidfile, if any. */
    @Override
    public void close() {
        if (pidfile != null) {
            pidfile.close();
        }
    }

    private static void detach(Options o) throws IOException {
        ProcessBuilder pb = relaunch(STAGE_DETACHED);
        if (o.chdir) {
            pb.directory(new File("/"));
        }
        Process child = pb.start();
        int status = waitForReady(child);
        Runtime.getRuntime().halt(status);
    }

    /**
     * Waits for 'child' to report ready; returns 0 then, or an exit status if it died first.
     * Whatever else the child's JVM prints on stdout before that (a -XX:StartFlightRecording
     * banner, say) is passed on to ours rather than taken for the answer.
     */
    private static int waitForReady(Process child) throws IOException {
        try (InputStream in = child.getInputStream()) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == READY) {
                    System.out.flush();
                    return 0;
                }
                System.out.write(b);
            }
        }
        int status = waitFor(child);
        log().error("fork child died before signaling startup ({})", statusMessage(status));
        return status > 0 && status < 128 ? status : 1;
    }

    private static void monitor(Options o) throws IOException {
        boolean relayReady = System.getenv(STAGE_ENV) != null;
        int crashes = 0;
        long lastRestart = Long.MIN_VALUE;
        Process child = relaunch(STAGE_MONITORED).start();
        int status = waitForReady(child);
        if (status != 0) {
            Runtime.getRuntime().halt(status);
        }
        if (relayReady) {
            Native.libc().write(1, new byte[] {READY}, 1);
            redirectToDevNull(1);
        }
        if (o.detach) {
            redirectToDevNull(0);
            redirectToDevNull(2);
        }
        for (;;) {
            status = waitFor(child);
            String what = statusMessage(status);
            if (!shouldRestart(status)) {
                monitorLog().info("pid {} died, {}, exiting", child.pid(), what);
                Runtime.getRuntime().halt(0);
            }
            String msg = (++crashes) + " crashes: pid " + child.pid() + " died, " + what;
            long now = TimeVal.msec();
            if (lastRestart != Long.MIN_VALUE && now < lastRestart + 10_000) {
                monitorLog().warn("{}, waiting until 10 seconds since last restart", msg);
                sleep(lastRestart + 10_000 - now);
            }
            lastRestart = TimeVal.msec();
            monitorLog().error("{}, restarting", msg);
            child = relaunch(STAGE_MONITORED).start();
            // A restarted daemon's readiness has no one to go to; drain it so its write succeeds.
            status = waitForReady(child);
            if (status != 0) {
                monitorLog().error("restarted daemon died before signaling startup, exiting");
                Runtime.getRuntime().halt(status);
            }
        }
    }

    /** OVS restarts only after deaths by these signals, which mean a crash. */
    static boolean shouldRestart(int status) {
        int sig = status - 128;
        return status > 128 && (sig == 6 || sig == 14 || sig == 7 || sig == 8 || sig == 4 || sig == 13
                || sig == 11 || sig == 24 || sig == 25);
    }

    /** OVS's process_status_msg() for a Java exit status (128+N for death by signal N). */
    static String statusMessage(int status) {
        if (status > 128) {
            return "killed (" + signalName(status - 128) + ")";
        }
        return "exit status " + status;
    }

    /** What strsignal() says of signal 'sig' in glibc, as OVS's messages quote it. */
    public static String signalName(int sig) {
        switch (sig) {
        case 1: return "Hangup";
        case 2: return "Interrupt";
        case 4: return "Illegal instruction";
        case 6: return "Aborted";
        case 7: return "Bus error";
        case 8: return "Floating point exception";
        case 9: return "Killed";
        case 11: return "Segmentation fault";
        case 13: return "Broken pipe";
        case 14: return "Alarm clock";
        case 15: return "Terminated";
        default: return "signal " + sig;
        }
    }

    /** A ProcessBuilder for this very command line, in stage 'stage', reporting ready on stdout. */
    private static ProcessBuilder relaunch(String stage) throws IOException {
        List<String> argv = SelfArgv.read();
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put(STAGE_ENV, stage);
        pb.redirectInput(Redirect.from(new File("/dev/null")));
        pb.redirectOutput(Redirect.PIPE);
        pb.redirectError(Redirect.INHERIT);
        return pb;
    }

    // Loggers are looked up when needed, not in static fields: a --detach parent that only waits
    // for its child must not pay for initializing logging.
    private static Logger log() {
        return LoggerFactory.getLogger("daemon_unix");
    }

    private static Logger monitorLog() {
        return LoggerFactory.getLogger("monitor");
    }

    private static int waitFor(Process p) {
        for (;;) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // Only a signal can get here; keep waiting, as OVS retries waitpid on EINTR.
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void redirectToDevNull(int fd) {
        int nul = Native.libc().open("/dev/null", Native.O_RDWR | Native.O_CLOEXEC, 0);
        if (nul >= 0) {
            Native.libc().dup2(nul, fd);
            Native.libc().close(nul);
        }
    }
}
