package org.jovs.vlog;

import java.nio.charset.StandardCharsets;

/**
 * The syslog destination, one of OVS's --syslog-method choices:
 * <ul>
 * <li>"libc": what glibc's syslog() sends to /dev/log (RFC 3164 style
 * {@code <PRI>Mmm dd hh:mm:ss program: message}, local time, no host name);
 * <li>"unix:PATH": {@code <PRI>message} to the Unix datagram socket PATH;
 * <li>"udp:IP:PORT": {@code <PRI>message} over UDP (port 514 by default);
 * <li>"null": nothing.
 * </ul>
 * PRI is the level's severity plus the facility set by {@code FACILITY:name}, by default daemon.
 * Each line of a multi-line message is sent separately, as OVS does. Sends never block (see
 * {@link DatagramSink}). The engine calls it under its lock.
 *
 * <p>Public only for {@link #checkMethod}, which command-line clients use without an engine.
 */
public final class Syslog {
    static final int DAEMON = 3 << 3;
    static final int LOCAL0 = 16 << 3;

    private static final String[] FACILITIES = {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "clock",
        "authpriv", "ftp", "ntp", "audit", "alert", "clock2", "local0", "local1", "local2",
        "local3", "local4", "local5", "local6", "local7"
    };

    /** What --syslog-target sends: RFC 5424, facility local0 unless set. */
    static final LogPattern TARGET_PATTERN =
            new LogPattern("<%B>1 %D{%Y-%m-%dT%H:%M:%S.###Z} %E %A %P %c - \uFEFF%m");

    private final String prefix;
    private final DatagramSink sink;    // null for "null"
    private final boolean libcFormat;

    private Syslog(String prefix, DatagramSink sink, boolean libcFormat) {
        this.prefix = prefix;
        this.sink = sink;
        this.libcFormat = libcFormat;
    }

    /**
     * The syslog method named 'method', with libc's socket at 'devLog'. Throws with OVS's text
     * for an unknown method.
     */
    static Syslog forMethod(String method, String devLog) throws VlogException {
        checkMethod(method);
        if (method.equals("null")) {
            return new Syslog("", null, false);
        } else if (method.equals("libc")) {
            return libc(devLog);
        } else if (method.startsWith("udp:")) {
            return new Syslog("<%B>", DatagramSink.udp(method.substring(4), 514), false);
        }
        return new Syslog("<%B>", DatagramSink.unix(method.substring(5)), false);
    }

    /**
     * Throws with OVS's text unless 'method' is one of the --syslog-method forms above. Opens
     * nothing, so it costs no more than the check.
     */
    public static void checkMethod(String method) throws VlogException {
        if (!method.equals("null") && !method.equals("libc") && !method.startsWith("udp:")
                && !method.startsWith("unix:")) {
            throw new VlogException("unsupported syslog method '" + method + "'");
        }
    }

    /** The "libc" method, sending to the Unix datagram socket 'devLog'. */
    static Syslog libc(String devLog) {
        return new Syslog("<%B> %D{%h %e %T} %E %A:", DatagramSink.unix(devLog), true);
    }

    /**
     * The facility code (shifted, e.g. 24 for "daemon") for 'name' in any case, or null. OVS
     * 3.1's table: it has no "authpriv" (code 10) and calls 9 "clock".
     */
    static Integer facilityFromName(String name) {
        for (int i = 0; i < FACILITIES.length; i++) {
            if (i != 10 && FACILITIES[i].equalsIgnoreCase(name)) {
                return i << 3;
            }
        }
        return null;
    }

    /** What {@code vlog/list-pattern} shows as this method's prefix. */
    String prefix() {
        return prefix;
    }

    /**
     * Sends each non-empty line of 'formatted' (the message formatted by the syslog pattern) for
     * message 'm'.
     */
    void send(String formatted, LogMessage m) {
        if (sink == null) {
            return;
        }
        int pri = m.level.syslogSeverity | (m.facility != 0 ? m.facility : DAEMON);
        String header = "<" + pri + ">";
        if (libcFormat) {
            header += Strftime.format("%h %e %T ", m.wallMs, false) + m.program + ": ";
        }
        for (String line : formatted.split("\n")) {
            if (!line.isEmpty()) {
                sink.send((header + line).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    void close() {
        if (sink != null) {
            sink.close();
        }
    }
}
