package org.jovs.utilities;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jovs.core.Dirs;
import org.jovs.vlog.Destination;
import org.jovs.vlog.Level;
import org.jovs.vlog.LogMessage;
import org.jovs.vlog.Syslog;
import org.jovs.vlog.VlogException;
import org.jovs.vlog.VlogSettings;

/**
 * OVS's vlog as a command-line client has it: what ovs-appctl's -v, --log-file, --syslog-method
 * and --syslog-target do, and the messages its library code logs while it works.
 *
 * <p>Every module starts at level INFO for every destination, so warnings reach the console
 * (standard error) in the default pattern, numbered from 1. A message counts, and gets a number,
 * if any destination would take it, syslog included. We do not send anything to syslog, though:
 * the client's own warnings, which is all syslog would get, are on the console already.
 *
 * <p>The levels, patterns and spec parsing are lib-vlog's {@link VlogSettings} and
 * {@link org.jovs.vlog.LogPattern}, which need no Logback; the output is ours, so that the client
 * starts without Logback or native code.
 *
 * <p>Single-threaded apart from the -T alarm, which logs once and then ends the process; all
 * methods are synchronized so that its message is never interleaved with another.
 */
final class Vlog {
    /**
     * The modules linked into OVS 3.1's ovs-appctl: the names its -v accepts (found by trying
     * every module name in the OVS tree against the real program).
     */
    static final List<String> MODULES = List.of(
            "backtrace", "bundle", "command_line", "conntrack", "conntrack_tp", "coverage", "ct_dpif", "daemon",
            "daemon_unix", "dns_resolve", "dpdk", "dpif", "dpif_lookup_autovalidator", "dpif_lookup_generic",
            "dpif_mfex_extract_study", "dpif_netdev", "dpif_netdev_extract", "dpif_netdev_impl",
            "dpif_netdev_lookup", "dpif_netlink", "dpif_netlink_rtnl", "entropy", "fatal_signal", "flow", "hmap",
            "ipf", "jsonrpc", "lockfile", "meta_flow", "native_tnl", "netdev", "netdev_afxdp", "netdev_linux",
            "netdev_offload", "netdev_offload_tc", "netdev_vport", "netlink", "netlink_conntrack",
            "netlink_notifier", "netlink_socket", "nx_match", "odp_execute", "odp_execute_impl", "odp_util",
            "ofp_actions", "ofp_bundle", "ofp_connection", "ofp_errors", "ofp_flow", "ofp_group", "ofp_match",
            "ofp_meter", "ofp_monitor", "ofp_msgs", "ofp_packet", "ofp_port", "ofp_protocol", "ofp_queue",
            "ofp_table", "ofp_util", "ovs_numa", "ovs_rcu", "ovs_replay", "ovs_router", "ovs_thread", "ovsdb_cs",
            "ovsdb_error", "ovsdb_idl", "ox_stat", "pmd_perf", "poll_loop", "process", "reconnect", "route_table",
            "sha1", "signals", "socket_util", "socket_util_unix", "stream", "stream_fd", "stream_replay",
            "stream_ssl", "stream_tcp", "stream_unix", "svec", "tc", "timeval", "unixctl", "userspace_tso", "util",
            "uuid", "vlog");

    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]");

    private final Console console;
    private final long startMsec = System.currentTimeMillis();
    private final VlogSettings settings = new VlogSettings(MODULES);
    private long seqno;
    private boolean initialized;
    private boolean syslogMethodSet;
    private boolean syslogTargetSet;
    private FileChannel logFile;
    private Path logPath;

    Vlog(Console console) {
        this.console = console;
    }

    /** Logs 'text' from 'module' at 'level' to every destination whose level admits it. */
    synchronized void log(String module, Level level, String text) {
        boolean toConsole = settings.enables(module, Destination.CONSOLE, level);
        boolean toSyslog = settings.enables(module, Destination.SYSLOG, level);
        boolean toFile = logFile != null && settings.enables(module, Destination.FILE, level);
        if (!toConsole && !toSyslog && !toFile) {
            return;
        }
        initialize();
        long now = System.currentTimeMillis();
        LogMessage m = new LogMessage(module, level, text, ++seqno, now, now - startMsec, console.programName, "",
                ProcessHandle.current().pid(), LogMessage.localHostname(), settings.facility());
        if (toConsole) {
            console.printError(settings.pattern(Destination.CONSOLE).format(m) + "\n");
        }
        if (toFile) {
            String line = settings.pattern(Destination.FILE).format(m) + "\n";
            try {
                logFile.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                // OVS ignores log write errors too.
            }
        }
    }

    void warn(String module, String text) {
        log(module, Level.WARN, text);
    }

    void dbg(String module, String text) {
        log(module, Level.DBG, text);
    }

    /** What OVS's vlog_init() does before the first message: may itself log, or exit. */
    private void initialize() {
        if (initialized) {
            return;
        }
        initialized = true;
        String method = System.getenv("OVS_SYSLOG_METHOD");
        if (!syslogMethodSet && method != null && !method.isEmpty()) {
            setSyslogMethod(method);
        }
        if (syslogTargetSet) {
            warn("vlog", "--syslog-target flag is deprecated, use --syslog-method instead");
        }
    }

    /** -v/--verbose: 'arg' null for maximum verbosity, else a spec as vlog/set takes. */
    synchronized void setVerbosity(String arg) {
        try {
            settings.setVerbosity(arg);
        } catch (VlogException e) {
            throw console.fatal(null, e.getMessage());
        }
    }

    /**
     * --log-file[=FILE]: logs to 'name', or to the default LOGDIR/PROGRAM.log if null. Returns
     * false, having logged a warning, if the file cannot be opened. Naming the file already in
     * use changes nothing.
     */
    synchronized boolean setLogFile(String name) {
        String path = name != null ? name : Dirs.logdir() + "/" + console.programName + ".log";
        FileChannel file;
        try {
            if (path.isEmpty()) {
                // open("") fails so; Path.of("") would be the working directory.
                throw new NoSuchFileException(path);
            }
            file = FileChannel.open(Path.of(path),
                    Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw----")));
        } catch (IOException e) {
            warn("vlog", "failed to open " + path + " for logging: " + errorText(e));
            return false;
        }
        if (logFile != null) {
            if (isSameFile(logPath, Path.of(path))) {
                closeQuietly(file);
                return true;
            }
            log("vlog", Level.INFO, "closing log file");
            closeQuietly(logFile);
        }
        logFile = file;
        logPath = Path.of(path);
        log("vlog", Level.INFO, "opened log file " + path);
        return true;
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            // Nothing was buffered: every message is written at once.
        }
    }

    /** --syslog-method: checks 'method' as OVS does; exits if it is not one OVS knows. */
    synchronized void setSyslogMethod(String method) {
        if (syslogMethodSet) {
            return;
        }
        try {
            Syslog.checkMethod(method);
        } catch (VlogException e) {
            throw console.fatal(null, e.getMessage());
        }
        syslogMethodSet = true;
    }

    /**
     * --syslog-target=HOST:PORT: OVS opens a UDP socket to it, and its first log message is then
     * a deprecation warning. A target without a port is an error that OVS logs; one whose host
     * OVS would have to look up is dropped without a word, as OVS's non-blocking lookup does.
     */
    synchronized void setSyslogTarget(String target) {
        int colon = target.lastIndexOf(':');
        if (colon < 0 || target.endsWith("]")) {
            log("socket_util", Level.ERR, target + ": port must be specified");
        } else if (IP_LITERAL.matcher(target.substring(0, colon)).matches()) {
            syslogTargetSet = true;
        }
    }

    /** The strerror() text in a file-opening exception. */
    static String errorText(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        } else if (e instanceof AccessDeniedException) {
            return "Permission denied";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage();
    }
}
