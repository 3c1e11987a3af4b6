package org.jovs.vlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything a log pattern can show about one message: the message itself and the process that
 * logs it. Immutable; built once per message and formatted once per destination.
 */
public final class LogMessage {
    final String module;
    final Level level;
    /** The formatted text, possibly with embedded newlines. */
    final String text;
    /** Per-process serial number (%N), from 1. */
    final long serial;
    /** Wall clock time in ms since the epoch (%d, %D). */
    final long wallMs;
    /** Ms since the process started (%r). */
    final long uptimeMs;
    final String program;
    /** "" in the main process, else e.g. "worker" (%t, %T). */
    final String subprogram;
    final long pid;
    final String hostname;
    /** Configured syslog facility code (already shifted, e.g. 24 for daemon), or 0 if unset. */
    final int facility;

    public LogMessage(String module, Level level, String text, long serial, long wallMs,
                      long uptimeMs, String program, String subprogram, long pid, String hostname,
                      int facility) {
        this.module = module;
        this.level = level;
        this.text = text;
        this.serial = serial;
        this.wallMs = wallMs;
        this.uptimeMs = uptimeMs;
        this.program = program;
        this.subprogram = subprogram;
        this.pid = pid;
        this.hostname = hostname;
        this.facility = facility;
    }

    /** This host's name, as gethostname() gives it (for %E); read once, when first needed. */
    public static String localHostname() {
        return Hostname.NAME;
    }

    /** Holds the host name, so that it is read only by a process that logs. */
    private static final class Hostname {
        static final String NAME = read();

        private static String read() {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }
}
