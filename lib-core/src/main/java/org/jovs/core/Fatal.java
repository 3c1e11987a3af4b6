package org.jovs.core;

import java.util.ArrayList;
import java.util.List;

import org.jovs.core.natives.Native;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * OVS's VLOG_FATAL and VLOG_ABORT: log at EMER, then exit(1) or abort().
 *
 * <p>The difference matters to {@code --monitor}: it restarts a daemon that aborted, but not one
 * that exited. SLF4J has no EMER level, so EMER is ERROR with the {@link #EMER} marker; lib-vlog
 * maps it to OVS's emer level and writes it directly to the log file before returning.
 */
public final class Fatal {
    /** Marks an ERROR event as OVS's EMER level. */
    public static final Marker EMER = MarkerFactory.getMarker("EMER");

    private static final List<Runnable> BEFORE_EXIT = new ArrayList<>();

    private Fatal() {
    }

    /**
     * Registers 'hook' to run before a fatal exit or abort, for example to flush the log. Hooks must
     * not block for long and must not throw.
     */
    public static synchronized void beforeExit(Runnable hook) {
        BEFORE_EXIT.add(hook);
    }

    /** Logs 'format' at EMER on 'log', then exits with status 1. */
    public static void exit(Logger log, String format, Object... args) {
        log.error(EMER, format, args);
        runHooks();
        Runtime.getRuntime().halt(1);
    }

    /** Logs 'format' at EMER on 'log', then calls abort(3), so that a monitor restarts us. */
    public static void abort(Logger log, String format, Object... args) {
        log.error(EMER, format, args);
        runHooks();
        System.err.flush();
        Native.libc().abort();
    }

    /** Formats like SLF4J, for callers that need the message text too. */
    public static String format(String format, Object... args) {
        return MessageFormatter.arrayFormat(format, args).getMessage();
    }

    private static synchronized void runHooks() {
        for (Runnable r : BEFORE_EXIT) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // Nothing more can be done on the way out.
            }
        }
    }
}
