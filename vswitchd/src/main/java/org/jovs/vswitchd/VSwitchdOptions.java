package org.jovs.vswitchd;

import java.util.ArrayList;
import java.util.List;

import org.jovs.core.CommandLine;
import org.jovs.core.CommandLine.Arg;
import org.jovs.core.CommandLine.UsageException;
import org.jovs.core.Daemon;
import org.jovs.core.Dirs;
import org.jovs.vlog.KnownModules;
import org.jovs.vlog.VlogException;
import org.jovs.worker.WorkerOptions;
import org.jovs.worker.WorkerOptions.FailureMode;
import org.jovs.vswitchd.netdev.Netdevs.DummyLevel;
import org.jovs.vswitchd.ovsdb.JsonRpcSession;

/**
 * The ovs-vswitchd command line, parsed as OVS 3.1's parse_options() does: the same options,
 * the same getopt errors, and at most one DATABASE argument.
 */
public final class VSwitchdOptions {
    public static final String PROGRAM = "ovs-vswitchd";
    /** OVS's vlog modules of ovs-vswitchd, which ours knows from the start as OVS does. */
    public static final List<String> VLOG_MODULES = KnownModules.ovs(PROGRAM);

    public final Daemon.Options daemon = new Daemon.Options();
    /** --unixctl, or null for the default socket name. */
    public String unixctl;
    /** The DATABASE argument, or null if none was given. */
    public String database;
    /** --config=FILE: run from this configuration file instead of a database, or null. */
    public String configFile;
    /** -v/--verbose specs, in order, for lib-vlog; null for a bare -v. */
    public final List<String> verbose = new ArrayList<>();
    /**
     * --log-file: null if not given, "" for the default path. A relative path is taken from the
     * working directory at start-up, as OVS opens it before daemonizing changes directory.
     */
    public String logFile;
    public String syslogTarget;
    public String syslogMethod;
    public boolean mlockall;
    /** --enable-dummy[=system|override]: dummy devices and datapaths, for tests. */
    public DummyLevel dummyLevel = DummyLevel.DISABLED;
    /** --disable-system: no "system" datapath type. */
    public boolean disableSystem;
    /** --disable-system-route: the kernel's routing table is not read (there is no route table yet). */
    public boolean disableSystemRoute;
    /** What happens when the worker dies: restart it (our default) or abort, as OVS 1.9 did. */
    public FailureMode workerFailure = FailureMode.RESTART;
    /** Bytes of unacknowledged worker requests kept before request() blocks. */
    public long workerQueueLimit = 16L << 20;
    /** --no-worker: no worker process; the main thread writes the log file itself. */
    public boolean noWorker;
    public boolean help;
    public boolean version;

    /** Parses 'args'; throws with getopt's or OVS's message on a usage error. */
    public static VSwitchdOptions parse(String[] args) throws UsageException {
        VSwitchdOptions o = new VSwitchdOptions();
        CommandLine cl = new CommandLine()
                .option("help", 'h', Arg.NONE, a -> o.help = true)
                .option("version", 'V', Arg.NONE, a -> o.version = true)
                .option("mlockall", Arg.NONE, a -> o.mlockall = true)
                .option("unixctl", Arg.REQUIRED, a -> o.unixctl = a)
                .option("verbose", 'v', Arg.OPTIONAL, a -> o.addVerbosity(a))
                .option("log-file", Arg.OPTIONAL, a -> o.logFile = a == null ? "" : absolute(a))
                .option("syslog-method", Arg.REQUIRED, a -> o.syslogMethod = a)
                .option("syslog-target", Arg.REQUIRED, a -> o.syslogTarget = a)
                .option("private-key", 'p', Arg.REQUIRED, a -> { })
                .option("certificate", 'c', Arg.REQUIRED, a -> { })
                .option("ca-cert", 'C', Arg.REQUIRED, a -> { })
                .option("ssl-protocols", Arg.REQUIRED, a -> { })
                .option("ssl-ciphers", Arg.REQUIRED, a -> { })
                .option("peer-ca-cert", Arg.REQUIRED, a -> { })
                .option("bootstrap-ca-cert", Arg.REQUIRED, a -> { })
                .option("enable-dummy", Arg.OPTIONAL, a -> o.dummyLevel = parseDummyLevel(a))
                .option("disable-system", Arg.NONE, a -> o.disableSystem = true)
                .option("disable-system-route", Arg.NONE, a -> o.disableSystemRoute = true)
                .option("dpdk", Arg.OPTIONAL, a -> {
                    throw new UsageException("Using --dpdk to configure DPDK is not supported.");
                })
                .option("dummy-numa", Arg.REQUIRED, a -> { })
                .option("worker-failure", Arg.REQUIRED, a -> o.workerFailure = parseWorkerFailure(a))
                .option("worker-queue-limit", Arg.REQUIRED, a -> o.workerQueueLimit = parseQueueLimit(a))
                .option("config", Arg.REQUIRED, a -> o.configFile = a)
                .option("no-worker", Arg.NONE, a -> o.noWorker = true);
        Daemon.addOptions(cl, o.daemon, PROGRAM);
        List<String> operands = cl.parse(args);
        if (operands.size() > 1) {
            throw new UsageException("at most one non-option argument accepted; use --help for usage");
        }
        o.database = operands.isEmpty() ? null : operands.get(0);
        if (o.database != null) {
            String error = JsonRpcSession.verifyName(o.database);
            if (error != null) {
                throw new UsageException(error);
            }
        }
        return o;
    }

    /**
     * -v/--verbose: OVS applies each spec as it parses it, so a bad one ends the program there,
     * before it detaches, unless --help or --version came first (OVS has then exited already).
     */
    private void addVerbosity(String spec) throws UsageException {
        if (!help && !version) {
            try {
                KnownModules.checkVerbosity(VLOG_MODULES, spec);
            } catch (VlogException e) {
                throw new UsageException(e.getMessage());
            }
        }
        verbose.add(spec);
    }

    private static String absolute(String path) {
        return java.nio.file.Path.of(path).toAbsolutePath().toString();
    }

    /** As OVS's dummy_enable(): an unknown level is fatal, with this message. */
    private static DummyLevel parseDummyLevel(String a) throws UsageException {
        DummyLevel level = DummyLevel.parse(a);
        if (level == null) {
            throw new UsageException(a + ": unknown dummy level");
        }
        return level;
    }

    private static FailureMode parseWorkerFailure(String a) throws UsageException {
        try {
            return FailureMode.parse(a);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--worker-failure: " + e.getMessage());
        }
    }

    private static long parseQueueLimit(String a) throws UsageException {
        long min = WorkerOptions.MIN_MAX_QUEUED_BYTES;
        try {
            long v = Long.parseLong(a);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new UsageException("--worker-queue-limit: \"" + a + "\" is not a number of bytes of at least " + min);
    }

    /** The --help text, laid out as OVS's usage(). */
    public static String usage() {
        String rundir = Dirs.rundir();
        return PROGRAM + ": Open vSwitch daemon\n"
                + "usage: " + PROGRAM + " [OPTIONS] [DATABASE]\n"
                + "where DATABASE is a socket on which ovsdb-server is listening\n"
                + "      (default: \"unix:" + rundir + "/db.sock\").\n"
                + "Active DATABASE connection methods:\n"
                + "  tcp:HOST:PORT           PORT at remote HOST\n"
                + "  unix:FILE               Unix domain socket named FILE\n"
                + "\nConfiguration without a database:\n"
                + "  --config=FILE           run from FILE (JSON laid out like the database\n"
                + "                          tables) instead of a database; with neither\n"
                + "                          FILE nor DATABASE, and no ovsdb-server on the\n"
                + "                          default socket, run bridge br0 (netdev datapath)\n"
                + Daemon.usage(PROGRAM)
                + "\nLogging options:\n"
                + "  -vSPEC, --verbose=SPEC   set logging levels\n"
                + "  -v, --verbose            set maximum verbosity level\n"
                + "  --log-file[=FILE]        enable logging to specified FILE\n"
                + "                           (default: " + Dirs.logdir() + "/" + PROGRAM + ".log)\n"
                + "  --syslog-method=(libc|unix:file|udp:ip:port)\n"
                + "                           specify how to send messages to syslog daemon\n"
                + "  --syslog-target=HOST:PORT  also send syslog msgs to HOST:PORT via UDP\n"
                + "\nWorker options:\n"
                + "  --worker-failure=restart|abort\n"
                + "                           when the worker process dies, restart it\n"
                + "                           (default) or abort the daemon, as OVS 1.9 did\n"
                + "  --worker-queue-limit=BYTES\n"
                + "                           unacknowledged worker requests kept in memory\n"
                + "                           before requests block (default: 16777216)\n"
                + "  --no-worker               run without a worker process (the main loop\n"
                + "                           then writes the log file itself and can block)\n"
                + "\nOther options:\n"
                + "  --unixctl=SOCKET          override default control socket name\n"
                + "  -h, --help                display this help message\n"
                + "  -V, --version             display version information\n";
    }
}
