package org.jovs.vlog;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jovs.core.Dirs;
import org.jovs.core.Fatal;
import org.jovs.core.RateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;

/**
 * OVS's vlog on top of SLF4J and Logback: the process-wide entry points.
 *
 * <p>Code logs through SLF4J with OVS module names as logger names
 * ({@code LoggerFactory.getLogger("bridge")}); EMER is {@code log.error(Fatal.EMER, ...)}. lib-vlog
 * configures Logback itself (see {@link VlogConfigurator}), so no logback.xml is read. The daemon
 * calls {@link #init} once while parsing its command line, {@link #reopenLogFile} on SIGHUP, and
 * registers {@link VlogCommands#ALL} with its unixctl server. Call sites use
 * {@link #warnRl} and friends with a {@link RateLimit}, and {@link #logOnce} with a {@link Once}.
 * Installing an engine also tells {@link RateLimit} which modules honour rate limits, so that
 * vlog/disable-rate-limit reaches call sites that use {@link RateLimit#admit} directly.
 *
 * <p>Every method may be called from any thread. Logging may block only in the log file write
 * (see {@link LogFileWriter}).
 */
public final class Vlog {
    private static volatile VlogEngine engine;
    private static final AtomicBoolean FATAL_HOOK = new AtomicBoolean();
    /* What declareModules() was given, for an engine installed later. */
    private static final Set<String> DECLARED = ConcurrentHashMap.newKeySet();

    private Vlog() {
    }

    /** Creates an engine for 'context' and makes it the process's vlog. */
    static VlogEngine installInto(LoggerContext context) {
        return installInto(new VlogEngine(context));
    }

    /** Makes 'e' the process's vlog (tests use engines with a captured console). */
    static synchronized VlogEngine installInto(VlogEngine e) {
        e.install();
        e.declare(DECLARED);
        engine = e;
        RateLimit.setModulePolicy(e::honorsRateLimits);
        return e;
    }

    /** The process's engine, configuring SLF4J first if nobody has logged yet. */
    static VlogEngine engine() {
        VlogEngine e = engine;
        if (e == null) {
            LoggerFactory.getILoggerFactory();     // runs VlogConfigurator
            e = engine;
            if (e == null) {
                e = installInto((LoggerContext) LoggerFactory.getILoggerFactory());
            }
        }
        return e;
    }

    /**
     * Configures logging from the daemon's command line, as OVS's VLOG_OPTION_HANDLERS do.
     *
     * @param programName    e.g. "ovs-vswitchd" (%A, default log file name, syslog ident)
     * @param verboseSpecs   the arguments of each -v/--verbose, in order; a null element is a
     *                       bare -v (dbg everywhere)
     * @param logFile        null without --log-file, "" for --log-file without a name (the
     *                       default {@code <logdir>/<program>.log}), else the path (relative
     *                       paths are taken within the log directory)
     * @param syslogTarget   --syslog-target=IP:PORT, or null
     * @param syslogMethod   --syslog-method, or null for $OVS_SYSLOG_METHOD, else "libc"
     * @throws VlogException a bad spec or syslog method (message as OVS prints it after
     *                       "PROGRAM: "), or an explicitly named log file that cannot be
     *                       opened (already logged: {@link VlogException#alreadyLogged()}); the
     *                       caller exits with status 1
     */
    public static void init(String programName, List<String> verboseSpecs, String logFile,
                            String syslogTarget, String syslogMethod) throws VlogException {
        VlogEngine e = engine();
        if (!e.isInstalled()) {
            // Someone reconfigured Logback after us: take it back.
            e = installInto((LoggerContext) LoggerFactory.getILoggerFactory());
        }
        if (FATAL_HOOK.compareAndSet(false, true)) {
            Fatal.beforeExit(() -> engine.flushForExit());
        }
        e.setProgramName(programName);
        String method = syslogMethod;
        if (method == null) {
            String env = System.getenv("OVS_SYSLOG_METHOD");
            method = env != null && !env.isEmpty() ? env : "libc";
        }
        e.setSyslogMethod(method);
        for (String spec : verboseSpecs) {
            e.setVerbosity(spec);
        }
        if (syslogTarget != null) {
            e.setSyslogTarget(syslogTarget);
        }
        if (logFile != null) {
            int error = setLogFile(logFile);
            // Like OVS, only a log file named explicitly is worth dying for.
            if (error != 0 && !logFile.isEmpty()) {
                throw new VlogException("failed to open " + logFilePath(logFile)
                        + " for logging", true);
            }
        }
    }

    /**
     * Registers modules 'names' (e.g. {@link KnownModules#ovs}) before any code logs to them, as
     * OVS knows every module of a program from its start: -v, vlog/set and the rate-limit
     * commands accept them and vlog/list shows them. A daemon calls this before {@link #init}, so
     * that its -v specs can name them.
     */
    public static void declareModules(Collection<String> names) {
        DECLARED.addAll(names);
        engine().declare(names);
    }

    /**
     * For a daemon whose --detach completed (its stderr is now /dev/null): turns the console
     * destination off for every module, as OVS's daemonize_complete() does.
     */
    public static void closeConsole() {
        engine().closeConsole();
    }

    /** %A, the syslog ident, and the default log file name. */
    public static void setProgramName(String name) {
        engine().setProgramName(name);
    }

    /** "worker" in the worker process: %t shows it ("main" if unset), %T shows "(worker)". */
    public static void setSubprogramName(String name) {
        engine().setSubprogramName(name);
    }

    /** One -v/--verbose argument; null for a bare -v. Throws with OVS's "processing" text. */
    public static void setVerbosity(String spec) throws VlogException {
        engine().setVerbosity(spec);
    }

    /**
     * --log-file[=FILE]: opens 'file' ("" or null for {@code <logdir>/<program>.log}; relative
     * names are within the log directory). Returns 0 or an errno, which has been logged.
     */
    public static int setLogFile(String file) {
        return engine().setLogFile(logFilePath(file));
    }

    private static String logFilePath(String file) {
        if (file == null || file.isEmpty()) {
            return Dirs.logdir() + "/" + engine().programName() + ".log";
        }
        return Dirs.absFileName(Dirs.logdir(), file);
    }

    /** The configured log file, or null if there is none. */
    public static String logFileName() {
        return engine().logFileName();
    }

    /**
     * Reopens the log file (SIGHUP, vlog/reopen): a no-op if its path still names the open file.
     * Returns 0 or an errno, which has been logged.
     */
    public static int reopenLogFile() {
        return engine().reopenLogFile();
    }

    /** Routes log file writes through 'writer' (the worker route) from now on. */
    public static void setLogFileWriter(LogFileWriter writer) {
        engine().setLogFileWriter(writer);
    }

    // ---- Logging helpers ---------------------------------------------------------------------

    /** Logs at vlog 'level' on 'log' (EMER as ERROR with {@link Fatal#EMER}). */
    public static void log(Logger log, Level level, String format, Object... args) {
        switch (level) {
        case EMER:
            log.error(Fatal.EMER, format, args);
            break;
        case ERR:
            log.error(format, args);
            break;
        case WARN:
            log.warn(format, args);
            break;
        case INFO:
            log.info(format, args);
            break;
        case DBG:
            log.debug(format, args);
            break;
        default:
            break;
        }
    }

    /** True if a message at 'level' on 'log' would go anywhere. */
    public static boolean isEnabled(Logger log, Level level) {
        switch (level) {
        case EMER:
            return log.isErrorEnabled(Fatal.EMER);
        case ERR:
            return log.isErrorEnabled();
        case WARN:
            return log.isWarnEnabled();
        case INFO:
            return log.isInfoEnabled();
        case DBG:
            return log.isDebugEnabled();
        default:
            return false;
        }
    }

    /**
     * OVS's VLOG_DROP_*: true if a message at 'level' on 'log' must not be logged, because it is
     * disabled or over 'rl''s rate (see {@link RateLimit#admit}, which logs the "Dropped N log
     * messages ..." summary before a message admitted after drops).
     */
    public static boolean drop(Logger log, Level level, RateLimit rl) {
        switch (level) {
        case EMER:
            return !rl.admit(log, org.slf4j.event.Level.ERROR, Fatal.EMER);
        case ERR:
            return !rl.admit(log, org.slf4j.event.Level.ERROR);
        case WARN:
            return !rl.admit(log, org.slf4j.event.Level.WARN);
        case INFO:
            return !rl.admit(log, org.slf4j.event.Level.INFO);
        case DBG:
            return !rl.admit(log, org.slf4j.event.Level.DEBUG);
        default:
            return true;
        }
    }

    /** OVS's VLOG_*_RL: logs unless {@link #drop} says not to. */
    public static void logRl(Logger log, Level level, RateLimit rl, String format,
                             Object... args) {
        if (!drop(log, level, rl)) {
            log(log, level, format, args);
        }
    }

    public static void errRl(Logger log, RateLimit rl, String format, Object... args) {
        logRl(log, Level.ERR, rl, format, args);
    }

    public static void warnRl(Logger log, RateLimit rl, String format, Object... args) {
        logRl(log, Level.WARN, rl, format, args);
    }

    public static void infoRl(Logger log, RateLimit rl, String format, Object... args) {
        logRl(log, Level.INFO, rl, format, args);
    }

    public static void dbgRl(Logger log, RateLimit rl, String format, Object... args) {
        logRl(log, Level.DBG, rl, format, args);
    }

    /** OVS's VLOG_*_ONCE: logs only the first time 'once' is used. */
    public static void logOnce(Logger log, Level level, Once once, String format,
                               Object... args) {
        if (once.first()) {
            log(log, level, format, args);
        }
    }
}
