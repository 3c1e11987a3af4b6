package org.jovs.utilities;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jovs.core.CommandLine;
import org.jovs.core.CommandLine.Arg;
import org.jovs.core.CommandLine.UsageException;
import org.jovs.core.Dirs;
import org.jovs.core.SelfArgv;
import org.jovs.core.Version;

/**
 * ovs-appctl: sends one command to a running OVS daemon over its unixctl socket and prints the
 * answer, behaving like OVS 3.1's C program (same options, output, messages and exit status), so
 * that hosts without the OVS packages can drive our daemon.
 *
 * <p>The target is -t's argument: a socket path if it starts with "/", otherwise a program name
 * whose pidfile RUNDIR/NAME.pid gives the pid in the socket name RUNDIR/NAME.PID.ctl (default
 * ovs-vswitchd). The result goes to standard output as is, and the exit status is 0. An error
 * answer goes to standard error, followed by "ovs-appctl: TARGET: server returned an error", with
 * status 2. Usage errors, a bad pidfile, a failed connection or transaction: a message and
 * status 1. -T SECS (or OVS_CTL_TIMEOUT) ends a wait that lasts too long by SIGALRM.
 *
 * <p>Run by the utilities/ovs-appctl launcher, which passes its own name as system property
 * "jovs.argv0", because getopt's messages start with argv[0].
 */
public final class AppCtl {
    private static final String DEFAULT_TARGET = "ovs-vswitchd";
    /** What strtoll() accepts in base 10 with nothing after it: C white space, sign, digits. */
    private static final Pattern C_INTEGER = Pattern.compile("[ \\t\\n\\x0B\\f\\r]*([+-]?[0-9]+)");

    /** What ovs-appctl -o prints: its getopt table, as OVS's ovs_cmdl_print_options() shows it. */
    private static final String OPTIONS = "--target=ARG\n-t ARG\n--execute\n-e \n--help\n-h \n--option\n-o \n"
            + "--version\n-V \n--timeout=ARG\n-T ARG\n--verbose=[ARG]\n-v [ARG]\n--log-file=[ARG]\n"
            + "--syslog-method=ARG\n--syslog-target=ARG\n";

    private final Console console;
    private final Vlog vlog;
    private String target;
    private int executeOptions;
    private long timeout;
    private Alarm alarm;

    AppCtl(Console console) {
        this.console = console;
        this.vlog = new Vlog(console);
    }

    public static void main(String[] args) {
        Console console = Console.system(System.getProperty("jovs.argv0", "ovs-appctl"));
        AppCtl appctl = new AppCtl(console);
        int status;
        try {
            status = appctl.run(argumentBytesAsUtf8(args));
        } catch (Exit e) {
            status = e.status;
        }
        appctl.cancelAlarm();
        console.flush();
        System.exit(status);
    }

    /** Does everything; returns the exit status, or throws {@link Exit}. */
    int run(String[] args) {
        List<String> operands = parseCommandLine(args);
        String command = operands.get(0);
        List<String> commandArgs = operands.subList(1, operands.size());
        try (UnixctlClient client = connectToTarget()) {
            UnixctlClient.Reply reply;
            try {
                reply = client.transact(command, commandArgs);
            } catch (ErrnoException e) {
                throw console.fatal(e.getMessage(), target + ": transaction error");
            }
            cancelAlarm();
            if (reply.error() != null) {
                console.printError(reply.error());
                console.error(null, target + ": server returned an error");
                return 2;
            }
            console.print(reply.result());
            return 0;
        }
    }

    private List<String> parseCommandLine(String[] args) {
        CommandLine cl = new CommandLine().requireOrder()
                .option("target", 't', Arg.REQUIRED, a -> {
                    if (target != null) {
                        throw console.fatal(null, "-t or --target may be specified only once");
                    }
                    target = a;
                })
                .option("execute", 'e', Arg.NONE, a -> {
                    // Older versions took the command as -e's argument; it is just ignored now.
                    if (executeOptions++ > 0) {
                        throw console.fatal(null, "-e or --execute may be speciifed only once");
                    }
                })
                .option("help", 'h', Arg.NONE, a -> exitAfterPrinting(usage()))
                .option("option", 'o', Arg.NONE, a -> exitAfterPrinting(OPTIONS))
                .option("version", 'V', Arg.NONE, a -> exitAfterPrinting(
                        Version.versionText(console.programName)))
                .option("timeout", 'T', Arg.REQUIRED, a -> {
                    timeout = parseUnsigned(a);
                    if (timeout <= 0) {
                        throw console.fatal(null, "value " + a + " on -T or --timeout is invalid");
                    }
                })
                .option("verbose", 'v', Arg.OPTIONAL, vlog::setVerbosity)
                .option("log-file", Arg.OPTIONAL, a -> {
                    // Only a file named explicitly must open.
                    if (!vlog.setLogFile(a) && a != null) {
                        throw new Exit(1);
                    }
                })
                .option("syslog-method", Arg.REQUIRED, vlog::setSyslogMethod)
                .option("syslog-target", Arg.REQUIRED, vlog::setSyslogTarget);
        List<String> operands;
        try {
            operands = cl.parse(args);
        } catch (UsageException e) {
            console.printError(console.argv0 + ": " + e.getMessage() + "\n");
            throw new Exit(1);
        }
        setUpTimeout();
        if (operands.isEmpty()) {
            throw console.fatal(null, "at least one non-option argument is required (use --help for help)");
        }
        if (target == null) {
            target = DEFAULT_TARGET;
        }
        return operands;
    }

    /** -T, or else OVS_CTL_TIMEOUT if it is a valid number, as OVS's ctl_timeout_setup(). */
    private void setUpTimeout() {
        long secs = timeout;
        String env = System.getenv("OVS_CTL_TIMEOUT");
        if (secs == 0 && env != null && !env.isEmpty()) {
            secs = Math.max(parseUnsigned(env), 0);
        }
        if (secs > 0) {
            alarm = Alarm.set(secs, vlog);
        }
    }

    private void cancelAlarm() {
        if (alarm != null) {
            alarm.cancel();
        }
    }

    private UnixctlClient connectToTarget() {
        String socketName = target;
        if (!target.startsWith("/")) {
            String pidfileName = Dirs.rundir() + "/" + target + ".pid";
            long pid;
            try {
                pid = PidfileReader.read(pidfileName, vlog);
            } catch (ErrnoException e) {
                throw console.fatal(e.getMessage(), "cannot read pidfile \"" + pidfileName + "\"");
            }
            socketName = Dirs.rundir() + "/" + target + "." + pid + ".ctl";
        }
        try {
            return UnixctlClient.connect(socketName, vlog);
        } catch (ErrnoException e) {
            throw console.fatal(e.getMessage(), "cannot connect to \"" + socketName + "\"");
        }
    }

    private void exitAfterPrinting(String text) {
        console.print(text);
        throw new Exit(0);
    }

    private String usage() {
        String p = console.programName;
        return p + ", for querying and controlling Open vSwitch daemon\n"
                + "usage: " + p + " [TARGET] COMMAND [ARG...]\n"
                + "Targets:\n"
                + "  -t, --target=TARGET  pidfile or socket to contact\n"
                + "Common commands:\n"
                + "  list-commands      List commands supported by the target\n"
                + "  version            Print version of the target\n"
                + "  vlog/list          List current logging levels\n"
                + "  vlog/list-pattern  List logging patterns for each destination.\n"
                + "  vlog/set [SPEC]\n"
                + "      Set log levels as detailed in SPEC, which may include:\n"
                + "      A valid module name (all modules, by default)\n"
                + "      'syslog', 'console', 'file' (all destinations, by default))\n"
                + "      'off', 'emer', 'err', 'warn', 'info', or 'dbg' ('dbg', bydefault)\n"
                + "  vlog/reopen        Make the program reopen its log file\n"
                + "Other options:\n"
                + "  --timeout=SECS     wait at most SECS seconds for a response\n"
                + "  -h, --help         Print this helpful information\n"
                + "  -V, --version      Display ovs-appctl version information\n";
    }

    /**
     * OVS's str_to_uint() in base 10: optional leading white space and sign, digits, nothing
     * after, at most UINT_MAX. Returns -1 if 's' is not such a number.
     */
    static long parseUnsigned(String s) {
        Matcher m = C_INTEGER.matcher(s);
        if (!m.matches()) {
            return -1;
        }
        try {
            long v = Long.parseLong(m.group(1));
            return v <= 0xffffffffL ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The program arguments exactly as the kernel passed them, decoded as UTF-8 whatever the
     * locale (in the C locale the JVM would turn non-ASCII bytes into '?'): the last
     * 'args.length' strings of /proc/self/cmdline. Falls back to 'args'.
     */
    static String[] argumentBytesAsUtf8(String[] args) {
        try {
            List<String> all = SelfArgv.read();
            if (all.size() < args.length) {
                return args;
            }
            return all.subList(all.size() - args.length, all.size()).toArray(new String[0]);
        } catch (IOException e) {
            return args;
        }
    }
}
