package org.jovs.vlog;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jovs.core.Fatal;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;

/**
 * vlog for one process, plugged into one Logback {@link LoggerContext}: maps Logback loggers to
 * vlog modules, keeps each Logback logger's level at its module's most verbose destination level
 * (so a disabled call costs Logback's usual level check), and writes each event that passes to
 * the console (stderr), syslog and the log file with the destination's pattern, under one lock so
 * that serial numbers and file lines stay in order.
 *
 * <p>Called from any thread that logs; never blocks except for the log file write of
 * {@link DirectLogFileWriter} (see {@link LogFileWriter} for the worker route). Owns the log file
 * fd, the syslog sockets, and nothing else. The lock is reentrant because vlog logs about itself
 * ("opened log file ...") and because a writer may log while writing.
 */
final class VlogEngine {
    /** Log file permissions before the umask, as OVS 3.1 creates it. */
    static final int LOG_FILE_MODE = 0660;
    static final String DEV_LOG = "/dev/log";
    private static final long WRITE_ERROR_REPORT_INTERVAL_MS = 60_000;
    private static final String FATAL_CLASS = Fatal.class.getName();
    /** The name of {@link Fatal#EMER}, not the object, so that no event touches Fatal's class. */
    static final String EMER_MARKER = "EMER";

    private final ReentrantLock lock = new ReentrantLock();
    private final LoggerContext context;
    private final OutputStream console;
    private final VlogSettings settings = new VlogSettings(this::levelsChanged);
    private final Map<String, Module> moduleByLogger = new ConcurrentHashMap<>();
    private final Logger log;
    private final VlogAppender appender;
    private final long pid = ProcessHandle.current().pid();
    private final String hostname = LogMessage.localHostname();

    private String program = "jovs";
    private String subprogram = "";
    private long serial;

    private Syslog syslog;
    private String syslogMethod = "libc";
    private boolean syslogChosen;
    private DatagramSink syslogTarget;
    private String syslogTargetName;
    /* Counts configuration changes, so that the worker route can pass them on. */
    private int settingsVersion;

    private String logFileName;
    private int logFd = -1;
    private FileId logFileId;
    private LogFileWriter writer = new DirectLogFileWriter();
    private long lostLines;
    private long lastWriteErrorReport = Long.MIN_VALUE;

    /** A file's identity, to tell whether a path still names the open log file. */
    private record FileId(Object dev, Object ino) {
        /** The identity of open 'fd', or null if it cannot be read. */
        static FileId of(int fd) {
            try {
                Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/" + fd),
                        "unix:dev,ino");
                return new FileId(a.get("dev"), a.get("ino"));
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }
    }

    VlogEngine(LoggerContext context, OutputStream console) {
        this.context = context;
        this.console = console;
        this.log = context.getLogger("vlog");
        this.appender = new VlogAppender(this);
        this.syslog = Syslog.libc(DEV_LOG);
    }

    VlogEngine(LoggerContext context) {
        this(context, new FileOutputStream(FileDescriptor.err));
    }

    /**
     * Makes this engine the whole of 'context''s configuration: removes every appender, filter
     * and level set so far (e.g. by a logback.xml) and routes all events here.
     */
    void install() {
        context.reset();
        EmerFilter filter = new EmerFilter();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.setName("vlog");
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        lock.lock();
        try {
            declareModules();
            levelsChanged(null);
        } finally {
            lock.unlock();
        }
    }

    /** True while this engine still receives 'context''s events. */
    boolean isInstalled() {
        return context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("vlog") == appender;
    }

    // ---- Modules and Logback levels ----------------------------------------------------------

    /** Registers the modules the jars declare (see {@link KnownModules}). Caller holds the lock. */
    private void declareModules() {
        try {
            declare(KnownModules.declared(VlogEngine.class.getClassLoader()));
        } catch (IOException e) {
            log.warn("{}: cannot read module list ({})", KnownModules.DECLARED_RESOURCE,
                    e.getMessage());
        }
    }

    /**
     * Registers modules 'names' at the current default levels, so that specs can name them and
     * vlog/list shows them before any code logs to them.
     */
    void declare(Collection<String> names) {
        lock.lock();
        try {
            for (String name : names) {
                moduleForLogger(name);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a module for every Logback logger created so far. Loggers that Logback made only as
     * parents of others ("io", "org.projectfloodlight") are skipped. Caller holds the lock.
     */
    private void discoverModules() {
        List<Logger> loggers = context.getLoggerList();
        Set<String> parents = new HashSet<>();
        for (Logger l : loggers) {
            String name = l.getName();
            for (int i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) {
                parents.add(name.substring(0, i));
            }
        }
        for (Logger l : loggers) {
            String name = l.getName();
            if (!name.equals(Logger.ROOT_LOGGER_NAME) && !parents.contains(name)) {
                moduleForLogger(name);
            }
        }
    }

    /** The module of Logback logger 'loggerName', created if new. Caller holds the lock. */
    private Module moduleForLogger(String loggerName) {
        Module m = moduleByLogger.get(loggerName);
        if (m == null) {
            m = settings.module(ModuleNames.moduleName(loggerName));
            String anchor = ModuleNames.anchor(loggerName);
            if (m.anchors.add(anchor)) {
                context.getLogger(anchor).setLevel(settings.minLevel(m).toLogback());
            }
            moduleByLogger.put(loggerName, m);
        }
        return m;
    }

    /** Settings callback: 'm''s levels changed, or everything's if null. */
    private void levelsChanged(Module m) {
        if (m == null) {
            context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .setLevel(settings.defaultMinLevel().toLogback());
            settings.modules().forEach(this::applyLevel);
        } else {
            applyLevel(m);
        }
    }

    private void applyLevel(Module m) {
        ch.qos.logback.classic.Level level = settings.minLevel(m).toLogback();
        for (String anchor : m.anchors) {
            context.getLogger(anchor).setLevel(level);
        }
    }

    boolean honorsRateLimits(String loggerName) {
        lock.lock();
        try {
            return moduleForLogger(loggerName).honorRateLimits;
        } finally {
            lock.unlock();
        }
    }

    // ---- Logging -----------------------------------------------------------------------------

    /** Appender entry point: one Logback event that passed the logger's level. */
    void append(ILoggingEvent e) {
        Level level = levelOf(e);
        boolean fatal = level == Level.EMER && calledFromFatal();
        String text = e.getFormattedMessage();
        IThrowableProxy thrown = e.getThrowableProxy();
        if (thrown != null) {
            text = text + "\n" + ThrowableProxyUtil.asString(thrown);
        }
        lock.lock();
        try {
            emit(moduleForLogger(e.getLoggerName()), level, text, e.getTimeStamp(), fatal, true);
        } finally {
            lock.unlock();
        }
    }

    /** ERROR with the EMER marker = emer, ERROR = err, WARN, INFO; DEBUG and TRACE = dbg. */
    static Level levelOf(ILoggingEvent e) {
        switch (e.getLevel().toInt()) {
        case ch.qos.logback.classic.Level.ERROR_INT:
            if (e.getMarkerList() != null) {
                for (org.slf4j.Marker marker : e.getMarkerList()) {
                    if (marker.contains(EMER_MARKER)) {
                        return Level.EMER;
                    }
                }
            }
            return Level.ERR;
        case ch.qos.logback.classic.Level.WARN_INT:
            return Level.WARN;
        case ch.qos.logback.classic.Level.INFO_INT:
            return Level.INFO;
        default:
            return Level.DBG;
        }
    }

    /** True inside Fatal.exit()/abort(), which OVS's VLOG_FATAL/VLOG_ABORT correspond to. */
    private static boolean calledFromFatal() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(f -> f.getClassName().equals(FATAL_CLASS)));
    }

    /**
     * Writes one message to every destination whose level enables it ('toFileAllowed' false keeps
     * it out of the file). A 'fatal' message (VLOG_FATAL/VLOG_ABORT) skips the console pattern
     * and is instead printed as "program: message" on stderr whatever the console level, as
     * ovs_fatal() does. Caller holds the lock.
     */
    private void emit(Module m, Level level, String text, long wallMs, boolean fatal,
                      boolean toFileAllowed) {
        boolean toConsole = !fatal && m.level(Destination.CONSOLE).enables(level);
        boolean toSyslog = m.level(Destination.SYSLOG).enables(level);
        boolean toFile = toFileAllowed && logFd >= 0 && m.level(Destination.FILE).enables(level);
        if (toConsole || toSyslog || toFile) {
            LogMessage msg = new LogMessage(m.name, level, text, ++serial, wallMs,
                    TimeVal.sinceStart(), program, subprogram, pid, hostname,
                    settings.facility());
            StringBuilder sb = new StringBuilder(256);
            if (toConsole) {
                settings.pattern(Destination.CONSOLE).format(sb, msg);
                writeConsole(sb.append('\n').toString());
            }
            if (toSyslog) {
                sb.setLength(0);
                settings.pattern(Destination.SYSLOG).format(sb, msg);
                syslog.send(sb.toString(), msg);
                if (syslogTarget != null) {
                    syslogTarget.send(Syslog.TARGET_PATTERN.format(msg)
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            if (toFile) {
                sb.setLength(0);
                settings.pattern(Destination.FILE).format(sb, msg);
                writeFile(sb.append('\n').toString().getBytes(StandardCharsets.UTF_8), level);
            }
        }
        if (fatal) {
            String who = subprogram.isEmpty() ? program : program + "(" + subprogram + ")";
            writeConsole(who + ": " + text + "\n");
        }
    }

    private void writeConsole(String s) {
        try {
            console.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // stderr is gone (e.g. closed by the parent): nothing else can show it.
        }
    }

    /** Writes one line to the log file. Caller holds the lock. */
    private void writeFile(byte[] line, Level level) {
        int error = writer.write(line);
        if (level == Level.EMER) {
            writer.flush();
        }
        noteFileWrite(error, 1);
    }

    /**
     * Accounts for a write of 'lines' lines to the log file that returned 'error' (0 or an
     * errno). A failing write (full disk, EIO) is reported on the console and syslog at most once
     * a minute; the first write that works again logs how many messages were lost. Caller holds
     * the lock.
     */
    private void noteFileWrite(int error, long lines) {
        if (error != 0) {
            lostLines += lines;
            long now = TimeVal.msec();
            if (lastWriteErrorReport == Long.MIN_VALUE
                    || now - lastWriteErrorReport >= WRITE_ERROR_REPORT_INTERVAL_MS) {
                lastWriteErrorReport = now;
                emit(moduleForLogger("vlog"), Level.WARN, "failed to write to log file "
                        + logFileName + ": " + Native.strerror(error), TimeVal.wallMsec(),
                        false, false);
            }
        } else if (lostLines > 0) {
            long lost = lostLines;
            lostLines = 0;
            emit(moduleForLogger("vlog"), Level.INFO, "resumed writing to log file "
                    + logFileName + " after losing " + lost + " messages", TimeVal.wallMsec(),
                    false, true);
        }
    }

    /**
     * For writers that write later than {@link LogFileWriter#write} returns (the worker route):
     * accounts for a write of 'lines' lines that returned 'error', as for a direct write.
     */
    void reportFileWrite(int error, long lines) {
        lock.lock();
        try {
            noteFileWrite(error, lines);
        } finally {
            lock.unlock();
        }
    }

    /**
     * In the worker process: appends 'lines' (whole lines) to the log file adopted from the main
     * process, under the same lock as this process's own messages so that the two never
     * interleave within a line. Write errors are reported on this process's console and syslog.
     */
    void writeLines(byte[] lines) {
        lock.lock();
        try {
            if (logFd >= 0) {
                noteFileWrite(writer.write(lines), countLines(lines));
            }
        } finally {
            lock.unlock();
        }
    }

    static long countLines(byte[] b) {
        long n = 0;
        for (byte c : b) {
            if (c == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Fatal hook: makes sure the EMER line reached the file before the process dies. */
    void flushForExit() {
        try {
            // Another thread may hold the lock forever if it is the one stuck; don't wait long.
            if (lock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    writer.flush();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- Configuration -----------------------------------------------------------------------

    void setProgramName(String name) {
        lock.lock();
        try {
            program = name;
            settingsVersion++;
        } finally {
            lock.unlock();
        }
    }

    String programName() {
        lock.lock();
        try {
            return program;
        } finally {
            lock.unlock();
        }
    }

    void setSubprogramName(String name) {
        lock.lock();
        try {
            subprogram = name == null ? "" : name;
        } finally {
            lock.unlock();
        }
    }

    /** -v/--verbose: 'spec' as vlog/set takes it, or null for dbg everywhere. */
    void setVerbosity(String spec) throws VlogException {
        lock.lock();
        try {
            discoverModules();
            settingsVersion++;
            settings.setVerbosity(spec);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Console level off for every module and for modules to come, as OVS's daemon does once a
     * detached daemon's stderr is /dev/null: nothing is formatted for it any more, and vlog/list
     * shows OFF.
     */
    void closeConsole() {
        lock.lock();
        try {
            discoverModules();
            settingsVersion++;
            settings.setLevels(null, Destination.CONSOLE, Level.OFF);
        } finally {
            lock.unlock();
        }
    }

    /** --syslog-method: only the first call counts, as in OVS. */
    void setSyslogMethod(String method) throws VlogException {
        lock.lock();
        try {
            if (!syslogChosen) {
                Syslog s = Syslog.forMethod(method, DEV_LOG);
                syslog.close();
                syslog = s;
                syslogMethod = method;
                syslogChosen = true;
                settingsVersion++;
            }
        } finally {
            lock.unlock();
        }
    }

    /** --syslog-target=IP:PORT: also send every syslog message, RFC 5424 style, over UDP. */
    void setSyslogTarget(String target) {
        DatagramSink sink = DatagramSink.udp(target, -1);
        lock.lock();
        try {
            if (syslogTarget != null) {
                syslogTarget.close();
            }
            syslogTarget = sink;
            syslogTargetName = target;
            settingsVersion++;
        } finally {
            lock.unlock();
        }
        log.warn("--syslog-target flag is deprecated, use --syslog-method instead");
    }

    // ---- Log file ----------------------------------------------------------------------------

    /**
     * Opens 'path' (absolute) as the log file, as OVS's vlog_set_log_file(): nothing happens if
     * it is the file already open; otherwise logs "closing log file" to the old one, switches,
     * and logs "opened log file PATH". Returns 0 or the errno of open(2), which it logs.
     */
    int setLogFile(String path) {
        int fd = Native.libc().open(path,
                Native.O_WRONLY | Native.O_CREAT | Native.O_APPEND | Native.O_CLOEXEC,
                LOG_FILE_MODE);
        if (fd < 0) {
            int error = Native.errno();
            log.warn("failed to open {} for logging: {}", path, Native.strerror(error));
            return error;
        }
        FileId id = FileId.of(fd);
        boolean wasOpen;
        lock.lock();
        try {
            if (logFd >= 0 && id != null && id.equals(logFileId)) {
                Native.closeQuietly(fd);
                return 0;
            }
            wasOpen = logFd >= 0;
        } finally {
            lock.unlock();
        }
        if (wasOpen) {
            log.info("closing log file");
        }
        lock.lock();
        try {
            int old = logFd;
            if (!path.equals(logFileName)) {
                settingsVersion++;
            }
            logFileName = path;
            logFd = fd;
            logFileId = id;
            writer.fileChanged(fd);
            Native.closeQuietly(old);
            settings.setFileOpen(true);
        } finally {
            lock.unlock();
        }
        log.info("opened log file {}", path);
        return 0;
    }

    /** vlog/reopen and SIGHUP: opens the configured path again; 0 if none is configured. */
    int reopenLogFile() {
        String name = logFileName();
        return name == null ? 0 : setLogFile(name);
    }

    /** vlog/close: closes the log file but remembers its name for vlog/reopen. */
    void closeLogFile() {
        lock.lock();
        try {
            if (logFd >= 0) {
                writer.fileChanged(-1);
                Native.closeQuietly(logFd);
                logFd = -1;
                logFileId = null;
                settings.setFileOpen(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The configured log file path (even while closed by vlog/close), or null. */
    String logFileName() {
        lock.lock();
        try {
            return logFileName;
        } finally {
            lock.unlock();
        }
    }

    /** Routes file writes through 'w' from now on; the old writer gets fileChanged(-1). */
    void setLogFileWriter(LogFileWriter w) {
        lock.lock();
        try {
            writer.flush();
            writer.fileChanged(-1);
            w.fileChanged(logFd);
            writer = w;
        } finally {
            lock.unlock();
        }
    }

    // ---- The worker process's vlog --------------------------------------------------------------

    /** Changes whenever the configuration that {@link #workerSettings()} returns may have. */
    int settingsVersion() {
        lock.lock();
        try {
            return settingsVersion;
        } finally {
            lock.unlock();
        }
    }

    /**
     * This process's configuration as JSON-ready data, for the worker process's vlog: levels,
     * patterns, rate limits, program name, syslog method and target, and the log file name.
     */
    Map<String, Object> workerSettings() {
        lock.lock();
        try {
            discoverModules();
            Map<String, Object> s = settings.snapshot();
            s.put("program", program);
            s.put("syslog-method", syslogMethod);
            s.put("syslog-target", syslogTargetName);
            s.put("log-file", logFileName);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * In the worker process: takes the configuration of {@link #workerSettings()}. With
     * 'openLogFile' (at start-up) it also opens the log file by name, quietly, so that the
     * worker's first messages reach it before the main process sends its fd.
     */
    void applyWorkerSettings(Map<?, ?> s, boolean openLogFile) throws VlogException {
        setSyslogMethod((String) s.get("syslog-method"));
        String target = (String) s.get("syslog-target");
        if (target != null && !target.equals(syslogTargetName)) {
            DatagramSink sink = DatagramSink.udp(target, -1);
            lock.lock();
            try {
                if (syslogTarget != null) {
                    syslogTarget.close();
                }
                syslogTarget = sink;
                syslogTargetName = target;
            } finally {
                lock.unlock();
            }
        }
        lock.lock();
        try {
            program = (String) s.get("program");
            settings.restore(s);
            logFileName = (String) s.get("log-file");
        } finally {
            lock.unlock();
        }
        if (openLogFile && logFileName != null) {
            int fd = Native.libc().open(logFileName,
                    Native.O_WRONLY | Native.O_CREAT | Native.O_APPEND | Native.O_CLOEXEC,
                    LOG_FILE_MODE);
            if (fd >= 0) {
                adoptLogFile(fd);
            }
        }
    }

    /**
     * In the worker process: makes open 'fd' (now owned here) the log file, closing the previous
     * one, without logging about it (the main process did when it opened the file).
     */
    void adoptLogFile(int fd) {
        lock.lock();
        try {
            int old = logFd;
            logFd = fd;
            logFileId = FileId.of(fd);
            writer.fileChanged(fd);
            Native.closeQuietly(old);
            settings.setFileOpen(true);
        } finally {
            lock.unlock();
        }
    }

    // ---- Commands ----------------------------------------------------------------------------

    /** vlog/set: each argument is a spec; none means dbg everywhere. */
    void set(List<String> specs) throws VlogException {
        lock.lock();
        try {
            discoverModules();
            settingsVersion++;
            if (specs.isEmpty()) {
                settings.setLevels(null, null, Level.DBG);
            }
            for (String spec : specs) {
                String error = settings.apply(spec);
                if (error != null) {
                    throw new VlogException(error);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    String levelsTable() {
        lock.lock();
        try {
            discoverModules();
            return settings.levelsTable();
        } finally {
            lock.unlock();
        }
    }

    String patternsTable() {
        lock.lock();
        try {
            return settings.patternsTable(syslog.prefix());
        } finally {
            lock.unlock();
        }
    }

    void setRateLimits(List<String> modules, boolean enable) throws VlogException {
        lock.lock();
        try {
            discoverModules();
            settingsVersion++;
            String error = settings.setRateLimits(modules, enable);
            if (error != null) {
                throw new VlogException(error);
            }
        } finally {
            lock.unlock();
        }
    }
}
