package org.jovs.vswitchd;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jovs.core.CommandLine.UsageException;
import org.jovs.core.Coverage;
import org.jovs.core.Daemon;
import org.jovs.core.Dirs;
import org.jovs.core.Fatal;
import org.jovs.core.Memory;
import org.jovs.core.PollLoop;
import org.jovs.core.SignalWatcher;
import org.jovs.core.TimeWarp;
import org.jovs.core.Version;
import org.jovs.core.natives.Native;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.vlog.Vlog;
import org.jovs.vlog.VlogCommands;
import org.jovs.vlog.VlogException;
import org.jovs.vlog.WorkerLogFileWriter;
import org.jovs.netlink.SystemStats;
import org.jovs.netlink.SystemStatsHandler;
import org.jovs.worker.WorkerClient;
import org.jovs.worker.WorkerOptions;
import org.jovs.vswitchd.bridge.Switch;
import org.jovs.vswitchd.netdev.Netdevs.DummyLevel;
import org.jovs.vswitchd.config.ConfigRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ovs-vswitchd's main(): parse the command line, daemonize, start the unixctl server, then run
 * the single-threaded main loop until `exit` or SIGTERM/SIGINT.
 *
 * <p>Each iteration calls every module's run(), then every module's waitFor(), then blocks in
 * the poll loop, in OVS's order. Only {@link PollLoop#block()} may block.
 */
public final class VSwitchd {
    private static final Logger LOG = LoggerFactory.getLogger("vswitchd");
    /** Extra JVM options for the worker process (the launcher passes its class-data archive). */
    static final String WORKER_JAVA_OPTS_ENV = "JOVS_WORKER_JAVA_OPTS";
    /** How long exit waits for the worker to write what it was sent. */
    private static final long WORKER_EXIT_WAIT_MS = 10_000;

    private final VSwitchdOptions options;
    private final PollLoop loop = new PollLoop();
    private WorkerClient worker;
    /* The log file route through the worker; null with --no-worker. */
    private WorkerLogFileWriter logRoute;
    private boolean exiting;
    /** exit --cleanup: delete the bridges' devices on the way out. */
    private boolean cleanup;
    private int exitSignal;

    VSwitchd(VSwitchdOptions options) {
        this.options = options;
    }

    /** Runs the daemon until `exit` or a signal; returns the exit status. */
    int run() {
        Daemon daemon;
        try {
            daemon = Daemon.start(options.daemon);
        } catch (IOException e) {
            Fatal.exit(LOG, "{}", e.getMessage());
            return 1;
        }
        startWorker(daemon);
        UnixctlServer unixctl;
        try {
            // OVS's version string ends in a new-line, which its unixctl DBG lines show.
            unixctl = UnixctlServer.create(options.unixctl, Dirs.rundir(), VSwitchdOptions.PROGRAM,
                    Version.programVersion(VSwitchdOptions.PROGRAM) + "\n");
        } catch (IOException e) {
            System.err.println(VSwitchdOptions.PROGRAM + ": " + e.getMessage());
            closeWorker();
            daemon.close();
            return 1;
        }
        // With --no-worker there are no system statistics: gathering them calls statvfs on every
        // mount, which can hang on a dead network file system, and the main loop must never block.
        SystemStats systemStats = options.noWorker ? null : new SystemStats(worker, VSwitchdOptions.PROGRAM);
        ConfigRunner config;
        try {
            config = ConfigRunner.open(options.database, options.configFile == null ? null : Path.of(options.configFile),
                    "unix:" + Dirs.rundir() + "/db.sock", Switch.open(options.dummyLevel, options.disableSystem, options.daemon.selfConfine), systemStats);
        } catch (IOException e) {
            unixctl.close();
            worker.close();
            daemon.close();
            Fatal.exit(LOG, "{}", e.getMessage());
            return 1;
        }
        if (logRoute != null) {
            // A client sees a reply only once what the command logged is in the log file.
            unixctl.setReplyGate(logRoute);
        }
        try (SignalWatcher signals = new SignalWatcher(Native.SIGTERM, Native.SIGINT, Native.SIGHUP)) {
            unixctl.register("exit", "[--cleanup]", 0, 1, (conn, args) -> {
                if (!args.isEmpty() && !args.get(0).equals("--cleanup")) {
                    conn.replyError("unknown option " + args.get(0));
                    return;
                }
                exiting = true;
                cleanup = !args.isEmpty();
                conn.reply(null);
            });
            unixctl.register("worker/show", "", 0, 0, (conn, args) -> conn.reply(worker.show()));
            registerVlogCommands(unixctl);
            Coverage.registerCommands(unixctl);
            // As OVS's timeval_dummy_register(): the test clock exists only with --enable-dummy.
            if (options.dummyLevel != DummyLevel.DISABLED) {
                TimeWarp.registerCommands(unixctl);
            }
            Memory.registerCommands(unixctl);
            config.registerCommands(unixctl);
            boolean started = false;

            while (!exiting) {
                if (signals.poll(Native.SIGTERM)) {
                    exitOnSignal(Native.SIGTERM);
                } else if (signals.poll(Native.SIGINT)) {
                    exitOnSignal(Native.SIGINT);
                }
                if (signals.poll(Native.SIGHUP)) {
                    Vlog.reopenLogFile();
                    config.reload();
                }
                worker.run();
                if (logRoute != null) {
                    logRoute.run();
                }
                Memory.run();
                Coverage.run();
                config.run();
                if (!started && config.ready()) {
                    // As OVS, --detach returns once the first configuration is in effect, and
                    // bridge.c then logs the version.
                    started = true;
                    daemon.complete();
                    if (options.daemon.detach) {
                        Vlog.closeConsole();
                    }
                    LoggerFactory.getLogger("bridge").info(Version.programVersion(VSwitchdOptions.PROGRAM));
                }
                unixctl.run();

                signals.waitFor(loop);
                Memory.waitFor(loop);
                Coverage.waitFor(loop);
                config.waitFor(loop);
                unixctl.waitFor(loop);
                if (exiting) {
                    loop.immediateWake();
                }
                // Last, because the worker client's waitFor() sends what this iteration queued,
                // log lines included, so that nothing waits for the next wakeup.
                if (logRoute != null) {
                    logRoute.waitFor(loop);
                }
                worker.waitFor(loop);
                loop.block();
            }
            if (cleanup) {
                config.cleanup();
            }
            // Let replies to `exit` reach their clients before the socket goes away. They do not
            // wait for the log: the worker writes what it was sent before it exits.
            unixctl.setReplyGate(null);
            unixctl.run();
        } catch (IOException e) {
            LOG.error("{}", e.getMessage());
            return 1;
        } finally {
            config.close();
            unixctl.close();
            closeWorker();
            daemon.close();
        }
        if (exitSignal != 0) {
            // OVS's fatal_signal module warns so before the process dies by the signal.
            LoggerFactory.getLogger("fatal_signal").warn("terminating with signal {} ({})", exitSignal,
                    Daemon.signalName(exitSignal));
            SignalWatcher.raiseDefault(exitSignal);
        }
        return 0;
    }

    /**
     * Starts the worker process, as OVS's worker_start() between daemonize_start() and the
     * unixctl server, and routes log file writes through it. A detached daemon gives the worker
     * no stderr: it would otherwise hold the caller's terminal or pipe open after --detach
     * returned. With --no-worker the client is never started (worker/show says so).
     */
    private void startWorker(Daemon daemon) {
        WorkerOptions wo = new WorkerOptions()
                .failureMode(options.workerFailure)
                .maxQueuedBytes(options.workerQueueLimit)
                .property(SystemStatsHandler.RUNDIR_PROPERTY, Dirs.rundir());
        String extra = System.getenv(WORKER_JAVA_OPTS_ENV);
        if (extra != null) {
            for (String opt : extra.trim().split("\\s+")) {
                if (!opt.isEmpty()) {
                    wo.jvmOption(opt);
                }
            }
        }
        if (options.daemon.detach) {
            wo.output(Redirect.DISCARD);
        }
        worker = new WorkerClient(wo);
        if (options.noWorker) {
            return;
        }
        logRoute = new WorkerLogFileWriter(worker, wo);
        try {
            worker.start();
        } catch (IOException e) {
            daemon.close();
            Fatal.exit(LOG, "could not start worker process ({})", e.getMessage());
        }
        Vlog.setLogFileWriter(logRoute);
    }

    /**
     * Closes the worker channel, which lets the worker write what it was sent and exit; waits for
     * that (bounded), so that lines logged from now on, which this process writes itself, come
     * after them in the file.
     */
    private void closeWorker() {
        if (logRoute != null) {
            logRoute.run();
        }
        long pid = worker.pid();
        worker.close();
        if (logRoute == null) {
            return;
        }
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(WORKER_EXIT_WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.warn("worker process {} did not exit within {} ms", pid, WORKER_EXIT_WAIT_MS);
                }
            });
        }
        logRoute.detach();
    }

    private static void registerVlogCommands(UnixctlServer unixctl) {
        for (VlogCommands.Command c : VlogCommands.ALL) {
            unixctl.register(c.name(), c.usage(), c.min(), c.max(), (conn, args) -> {
                try {
                    conn.reply(c.action().run(args));
                } catch (VlogException e) {
                    conn.replyError(e.getMessage());
                }
            });
        }
    }

    private void exitOnSignal(int signo) {
        exiting = true;
        exitSignal = signo;
    }
}
