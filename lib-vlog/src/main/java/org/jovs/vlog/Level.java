package org.jovs.vlog;

/**
 * OVS log levels, from least to most verbose: a destination logs a message if its level is at
 * least the message's level (compare with {@link #compareTo}). Names are OVS's upper-case names as
 * {@code vlog/list} and the {@code %p} escape show them; parsing is case-insensitive.
 */
public enum Level {
    OFF(1),
    EMER(1),
    ERR(3),
    WARN(4),
    INFO(5),
    DBG(7);

    /** syslog(3) severity: ALERT, ERR, WARNING, NOTICE, DEBUG, as OVS maps them. */
    final int syslogSeverity;

    Level(int syslogSeverity) {
        this.syslogSeverity = syslogSeverity;
    }

    /** The level called 'name' in any case, or null. */
    public static Level fromName(String name) {
        for (Level l : values()) {
            if (l.name().equalsIgnoreCase(name)) {
                return l;
            }
        }
        return null;
    }

    /** True if a destination at this level logs a message of level 'message'. */
    public boolean enables(Level message) {
        return compareTo(message) >= 0;
    }

    /** The Logback level that lets through every event this vlog level can log. */
    ch.qos.logback.classic.Level toLogback() {
        switch (this) {
        case OFF:
            return ch.qos.logback.classic.Level.OFF;
        case EMER:
        case ERR:
            return ch.qos.logback.classic.Level.ERROR;
        case WARN:
            return ch.qos.logback.classic.Level.WARN;
        case INFO:
            return ch.qos.logback.classic.Level.INFO;
        default:
            return ch.qos.logback.classic.Level.TRACE;
        }
    }
}
