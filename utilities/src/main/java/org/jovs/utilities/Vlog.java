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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jovs.core.Dirs;

/**
 * OVS's vlog as a command-line client has it: what ovs-appctl's -v, --log-file, --syslog-method
 * and --syslog-target do, and the messages its library code logs while it works.
 *
 * <p>Every module starts at level INFO for every destination, so warnings reach the console
 * (standard error) in the default pattern, numbered from 1. A message counts, and gets a number,
 * if any destination would take it, syslog included. We do not send anything to syslog, though:
 * the client's own warnings, which is all syslog would get, are on the console already.
 *
 * <p>Single-threaded apart from the -T alarm, which logs once and then ends the process; all
 * methods are synchronized so that its message is never interleaved with another.
 */
final class Vlog {
    /** OVS's levels, in increasing verbosity, with their syslog(3) priorities. */
    enum Level {
        OFF(1), EMER(1), ERR(3), WARN(4), INFO(5), DBG(7);

        final int syslogLevel;

        Level(int syslogLevel) {
            this.syslogLevel = syslogLevel;
        }
    }

    /** OVS's destinations, in OVS's order. */
    enum Destination {
        SYSLOG("ovs|%05N|%c%T|%p|%m"),
        CONSOLE("%D{%Y-%m-%dT%H:%M:%SZ}|%05N|%c%T|%p|%m"),
        FILE("%D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c%T|%p|%m");

        final String defaultPattern;

        Destination(String defaultPattern) {
            this.defaultPattern = defaultPattern;
        }
    }

    static final int LOG_LOCAL0 = 16 << 3;

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

    private static final Map<String, Integer> FACILITIES = facilities();
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]");

    private final Console console;
    private final long startMsec = System.currentTimeMillis();
    private final Map<String, EnumMap<Destination, Level>> levels = new LinkedHashMap<>();
    private final EnumMap<Destination, String> patterns = new EnumMap<>(Destination.class);
    private int facility;
    private long seqno;
    private boolean initialized;
    private boolean syslogMethodSet;
    private boolean syslogTargetSet;
    private FileChannel logFile;
    private Path logPath;

    Vlog(Console console) {
        this.console = console;
        for (String module : MODULES) {
            EnumMap<Destination, Level> l = new EnumMap<>(Destination.class);
            for (Destination d : Destination.values()) {
                l.put(d, Level.INFO);
            }
            levels.put(module, l);
        }
        for (Destination d : Destination.values()) {
            patterns.put(d, d.defaultPattern);
        }
    }

    /** Logs 'text' from 'module' at 'level' to every destination whose level admits it. */
    synchronized void log(String module, Level level, String text) {
        EnumMap<Destination, Level> l = levels.get(module);
        boolean toConsole = l.get(Destination.CONSOLE).compareTo(level) >= 0;
        boolean toSyslog = l.get(Destination.SYSLOG).compareTo(level) >= 0;
        boolean toFile = logFile != null && l.get(Destination.FILE).compareTo(level) >= 0;
        if (!toConsole && !toSyslog && !toFile) {
            return;
        }
        initialize();
        VlogPattern.Message m = new VlogPattern.Message(module, level, text, ++seqno, System.currentTimeMillis(),
                System.currentTimeMillis() - startMsec, facility, console.programName, ProcessHandle.current().pid());
        if (toConsole) {
            console.printError(VlogPattern.format(patterns.get(Destination.CONSOLE), m) + "\n");
        }
        if (toFile) {
            String line = VlogPattern.format(patterns.get(Destination.FILE), m) + "\n";
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
        if (arg == null) {
            setLevels(null, null, Level.DBG);
            return;
        }
        String error = setLevelsFromString(arg);
        if (error != null) {
            throw console.fatal(null, "processing \"" + arg + "\": " + error);
        }
    }

    /** vlog_set_levels_from_string(): applies 'spec', or returns why it is invalid. */
    private String setLevelsFromString(String spec) {
        Tokenizer words = new Tokenizer(spec);
        String word = words.next();
        if ("PATTERN".equalsIgnoreCase(word)) {
            word = words.next();
            if (word == null) {
                return "missing destination";
            }
            Destination d = destination(word);
            if (d == null && !word.equalsIgnoreCase("ANY")) {
                return "unknown destination \"" + word + "\"";
            }
            for (Destination each : Destination.values()) {
                if (d == null || d == each) {
                    patterns.put(each, words.rest());
                }
            }
        } else if ("FACILITY".equalsIgnoreCase(word)) {
            Integer value = FACILITIES.get(words.rest().toLowerCase(Locale.ROOT));
            if (value == null) {
                return "invalid facility";
            }
            facility = value;
        } else {
            String module = null;
            Level level = null;
            Destination destination = null;
            for (; word != null; word = words.next()) {
                if (word.equalsIgnoreCase("ANY")) {
                    continue;
                } else if (destination(word) != null) {
                    if (destination != null) {
                        return "cannot specify multiple destinations";
                    }
                    destination = destination(word);
                } else if (level(word) != null) {
                    if (level != null) {
                        return "cannot specify multiple levels";
                    }
                    level = level(word);
                } else if (module(word) != null) {
                    if (module != null) {
                        return "cannot specify multiple modules";
                    }
                    module = module(word);
                } else {
                    return "no destination, level, or module \"" + word + "\"";
                }
            }
            setLevels(module, destination, level != null ? level : Level.DBG);
        }
        return null;
    }

    /** Sets 'module' (null: all) at 'destination' (null: all) to 'level'. */
    private void setLevels(String module, Destination destination, Level level) {
        for (Map.Entry<String, EnumMap<Destination, Level>> e : levels.entrySet()) {
            if (module == null || module.equals(e.getKey())) {
                for (Destination d : Destination.values()) {
                    if (destination == null || destination == d) {
                        e.getValue().put(d, level);
                    }
                }
            }
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
        if (!method.equals("null") && !method.equals("libc") && !method.startsWith("udp:")
                && !method.startsWith("unix:")) {
            throw console.fatal(null, "unsupported syslog method '" + method + "'");
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

    private static Destination destination(String word) {
        for (Destination d : Destination.values()) {
            if (d.name().equalsIgnoreCase(word)) {
                return d;
            }
        }
        return null;
    }

    private static Level level(String word) {
        for (Level l : Level.values()) {
            if (l.name().equalsIgnoreCase(word)) {
                return l;
            }
        }
        return null;
    }

    private static String module(String word) {
        for (String m : MODULES) {
            if (m.equalsIgnoreCase(word)) {
                return m;
            }
        }
        return null;
    }

    /** OVS's facility names (it has none for 10, authpriv) and their values. */
    private static Map<String, Integer> facilities() {
        Map<String, Integer> f = new LinkedHashMap<>();
        String[] names = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "clock", null,
            "ftp", "ntp", "audit", "alert", "clock2", "local0", "local1", "local2", "local3", "local4", "local5",
            "local6", "local7"};
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                f.put(names[i], i << 3);
            }
        }
        return f;
    }

    /**
     * strtok_r() over a spec with OVS's delimiters: words are maximal runs of non-delimiters, and
     * the rest after a word starts just past the one delimiter that ended it.
     */
    private static final class Tokenizer {
        private final String s;
        private int pos;

        Tokenizer(String s) {
            this.s = s;
        }

        String next() {
            while (pos < s.length() && isDelimiter(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                return null;
            }
            int start = pos;
            while (pos < s.length() && !isDelimiter(s.charAt(pos))) {
                pos++;
            }
            String word = s.substring(start, pos);
            pos = Math.min(pos + 1, s.length());
            return word;
        }

        String rest() {
            return s.substring(pos);
        }

        private static boolean isDelimiter(char c) {
            return " ,:\t".indexOf(c) >= 0;
        }
    }
}
