package org.jovs.vlog;

import java.util.List;

import org.jovs.core.natives.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vlog's unixctl commands, as OVS 3.1's vlog_init() registers them: name, usage, minimum and
 * maximum argument counts, and the action. An action takes the command's arguments (without the
 * command name) and returns the reply text ("" for OVS's empty reply), or throws
 * {@link VlogException} whose message is OVS's error reply. Wiring into the unixctl server:
 * <pre>
 *   for (VlogCommands.Command c : VlogCommands.ALL) {
 *       server.register(c.name(), c.usage(), c.min(), c.max(), (conn, args) -> {
 *           try {
 *               conn.reply(c.action().run(args));
 *           } catch (VlogException e) {
 *               conn.replyError(e.getMessage());
 *           }
 *       });
 *   }
 * </pre>
 * Actions run in the caller's thread and do not block, except vlog/reopen's open(2).
 */
public final class VlogCommands {
    /** A command's behaviour. */
    @FunctionalInterface
    public interface Action {
        String run(List<String> args) throws VlogException;
    }

    /** One unixctl command as OVS registers it. */
    public record Command(String name, String usage, int min, int max, Action action) {
    }

    /** vlog/set [spec...]: levels, PATTERN:dest:pattern, FACILITY:name; no spec = dbg. */
    public static final Command SET = new Command("vlog/set",
            "{spec | PATTERN:destination:pattern}", 0, Integer.MAX_VALUE, VlogCommands::set);
    /** vlog/list: the module/level table. */
    public static final Command LIST = new Command("vlog/list", "", 0, 0, VlogCommands::list);
    /** vlog/list-pattern: each destination's prefix and pattern. */
    public static final Command LIST_PATTERN = new Command("vlog/list-pattern", "", 0, 0,
            VlogCommands::listPattern);
    /** vlog/enable-rate-limit [module|any]...: none = all modules. */
    public static final Command ENABLE_RATE_LIMIT = new Command("vlog/enable-rate-limit",
            "[module]...", 0, Integer.MAX_VALUE, VlogCommands::enableRateLimit);
    /** vlog/disable-rate-limit [module|any]...: none = all modules. */
    public static final Command DISABLE_RATE_LIMIT = new Command("vlog/disable-rate-limit",
            "[module]...", 0, Integer.MAX_VALUE, VlogCommands::disableRateLimit);
    /** vlog/reopen: reopen the log file (after rotation). */
    public static final Command REOPEN = new Command("vlog/reopen", "", 0, 0,
            VlogCommands::reopen);
    /** vlog/close: close the log file until vlog/reopen. */
    public static final Command CLOSE = new Command("vlog/close", "", 0, 0, VlogCommands::close);

    /**
     * vlog/message [--count=N] TEXT, hidden as in OVS (since 2025): logs "user-message: TEXT" at
     * INFO. Ours also takes --count=N, which logs N lines "user-message: TEXT I" for I = 1..N in
     * one go, for tests and benchmarks that need many numbered lines.
     */
    public static final Command MESSAGE = new Command("vlog/message", null, 1, 2,
            VlogCommands::message);

    /** All of them, in OVS's registration order. */
    public static final List<Command> ALL = List.of(SET, LIST, LIST_PATTERN, ENABLE_RATE_LIMIT,
            DISABLE_RATE_LIMIT, REOPEN, CLOSE, MESSAGE);

    private static final Logger LOG = LoggerFactory.getLogger("vlog");
    private static final String COUNT = "--count=";
    private static final long MAX_COUNT = 100_000_000;

    private VlogCommands() {
    }

    public static String set(List<String> args) throws VlogException {
        Vlog.engine().set(args);
        return "";
    }

    public static String list(List<String> args) {
        return Vlog.engine().levelsTable();
    }

    public static String listPattern(List<String> args) {
        return Vlog.engine().patternsTable();
    }

    public static String enableRateLimit(List<String> args) throws VlogException {
        Vlog.engine().setRateLimits(args, true);
        return "";
    }

    public static String disableRateLimit(List<String> args) throws VlogException {
        Vlog.engine().setRateLimits(args, false);
        return "";
    }

    /** Errors: "Logging to file not configured", or strerror of the failed open. */
    public static String reopen(List<String> args) throws VlogException {
        VlogEngine e = Vlog.engine();
        if (e.logFileName() == null) {
            throw new VlogException("Logging to file not configured");
        }
        int error = e.reopenLogFile();
        if (error != 0) {
            throw new VlogException(Native.strerror(error));
        }
        return "";
    }

    public static String message(List<String> args) throws VlogException {
        if (args.size() == 1) {
            LOG.info("user-message: {}", args.get(0));
            return "";
        }
        String option = args.get(0);
        long count = -1;
        if (option.startsWith(COUNT)) {
            try {
                count = Long.parseLong(option.substring(COUNT.length()));
            } catch (NumberFormatException e) {
                // Reported below.
            }
        }
        if (count < 0 || count > MAX_COUNT) {
            throw new VlogException("usage: vlog/message [--count=N] TEXT (N from 0 to "
                    + MAX_COUNT + ")");
        }
        String text = args.get(1);
        for (long i = 1; i <= count; i++) {
            LOG.info("user-message: {} {}", text, i);
        }
        return "";
    }

    public static String close(List<String> args) {
        Vlog.engine().closeLogFile();
        return "";
    }
}
