package org.jovs.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command-line parser with GNU getopt_long() semantics, so that our programs accept and reject
 * exactly what the C programs do: long options with unique-prefix abbreviation, {@code --opt=arg}
 * or {@code --opt arg} for required arguments, {@code --opt=arg} only for optional ones, bundled
 * short options, {@code --} to end options, and permutation of non-option arguments (or, after
 * {@link #requireOrder()}, none: options end at the first non-option argument, as with a "+" at the
 * start of getopt's option string).
 *
 * <p>Errors carry getopt's own message (e.g. "unrecognized option '--foo'"); the caller prints it
 * prefixed by the program name and exits with status 1, as OVS does.
 */
public final class CommandLine {
    /** How an option takes its argument. */
    public enum Arg { NONE, REQUIRED, OPTIONAL }

    /** Receives one parsed option; 'arg' is null when absent. */
    @FunctionalInterface
    public interface Handler {
        void accept(String arg) throws UsageException;
    }

    /** A command-line error, with getopt's or the program's message. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    private static final class Option {
        final String longName;
        final char shortName;
        final Arg arg;
        final Handler handler;

        Option(String longName, char shortName, Arg arg, Handler handler) {
            this.longName = longName;
            this.shortName = shortName;
            this.arg = arg;
            this.handler = handler;
        }
    }

    private final Map<String, Option> longOptions = new LinkedHashMap<>();
    private final Map<Character, Option> shortOptions = new LinkedHashMap<>();
    private boolean requireOrder;

    /** Adds option '--longName' (and '-shortName' unless it is 0). */
    public CommandLine option(String longName, char shortName, Arg arg, Handler handler) {
        Option o = new Option(longName, shortName, arg, handler);
        if (longName != null) {
            longOptions.put(longName, o);
        }
        if (shortName != 0) {
            shortOptions.put(shortName, o);
        }
        return this;
    }

    /** Adds long-only option '--longName'. */
    public CommandLine option(String longName, Arg arg, Handler handler) {
        return option(longName, (char) 0, arg, handler);
    }

    /**
     * Makes options end at the first non-option argument, which with everything after it is
     * returned as is: for programs such as ovs-appctl whose operands carry their own options.
     */
    public CommandLine requireOrder() {
        requireOrder = true;
        return this;
    }

    /** Parses 'args', calling handlers in order; returns the non-option arguments. */
    public List<String> parse(String[] args) throws UsageException {
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean operand = !a.startsWith("-") || a.equals("-");
            if (a.equals("--") || (operand && requireOrder)) {
                int first = a.equals("--") ? i + 1 : i;
                operands.addAll(Arrays.asList(args).subList(first, args.length));
                break;
            } else if (operand) {
                operands.add(a);
            } else if (a.startsWith("--")) {
                i = parseLong(args, i);
            } else {
                i = parseShort(args, i);
            }
        }
        return operands;
    }

    private int parseLong(String[] args, int i) throws UsageException {
        String body = args[i].substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String value = eq < 0 ? null : body.substring(eq + 1);
        Option o = findLong(name, body);
        switch (o.arg) {
        case NONE:
            if (value != null) {
                throw new UsageException("option '--" + o.longName + "' doesn't allow an argument");
            }
            break;
        case REQUIRED:
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option '--" + o.longName + "' requires an argument");
                }
                value = args[++i];
            }
            break;
        default:
            break;
        }
        o.handler.accept(value);
        return i;
    }

    /** The option that 'name' names or abbreviates; errors quote 'body', the text after "--". */
    private Option findLong(String name, String body) throws UsageException {
        Option exact = longOptions.get(name);
        if (exact != null) {
            return exact;
        }
        List<Option> matches = new ArrayList<>();
        for (Option o : longOptions.values()) {
            if (o.longName.startsWith(name)) {
                matches.add(o);
            }
        }
        if (matches.isEmpty()) {
            throw new UsageException("unrecognized option '--" + body + "'");
        }
        if (matches.size() > 1) {
            StringBuilder sb = new StringBuilder("option '--" + body + "' is ambiguous; possibilities:");
            for (Option o : matches) {
                sb.append(" '--").append(o.longName).append('\'');
            }
            throw new UsageException(sb.toString());
        }
        return matches.get(0);
    }

    private int parseShort(String[] args, int i) throws UsageException {
        String a = args[i];
        for (int j = 1; j < a.length(); j++) {
            char c = a.charAt(j);
            Option o = shortOptions.get(c);
            if (o == null) {
                throw new UsageException("invalid option -- '" + c + "'");
            }
            String rest = a.substring(j + 1);
            switch (o.arg) {
            case NONE:
                o.handler.accept(null);
                continue;
            case OPTIONAL:
                o.handler.accept(rest.isEmpty() ? null : rest);
                return i;
            default:
                if (!rest.isEmpty()) {
                    o.handler.accept(rest);
                } else if (i + 1 < args.length) {
                    o.handler.accept(args[++i]);
                } else {
                    throw new UsageException("option requires an argument -- '" + c + "'");
                }
                return i;
            }
        }
        return i;
    }
}
