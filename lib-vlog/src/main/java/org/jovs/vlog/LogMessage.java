package org.jovs.vlog;

/**
 * Everything a log pattern can show about one message: the message itself and the process that
 * logs it. Immutable; built once per message and formatted once per destination.
 */
final class LogMessage {
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

    LogMessage(String module, Level level, String text, long serial, long wallMs, long uptimeMs,
               String program, String subprogram, long pid, String hostname, int facility) {
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
}
