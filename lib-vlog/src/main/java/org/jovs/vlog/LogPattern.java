package org.jovs.vlog;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled OVS log pattern ({@code -vPATTERN:dest:pattern}). Escapes, as in ovs-appctl(8):
 * %A program name, %B RFC 5424 PRI (facility, default local0, plus the level's severity),
 * %c module, %d / %D time in local time / UTC with an optional {strftime} argument (default
 * "%Y-%m-%d %H:%M:%S.###"), %E host name, %m message (trailing newlines removed), %n newline,
 * %N serial number, %p level, %P pid, %r ms since start, %t subprogram or "main", %T
 * "(subprogram)" or nothing, %% a percent sign; any other character after % stands for itself.
 * Between % and the letter: '-' left-justifies, '0' pads with zeros instead of spaces (also
 * strings, and on the right when left-justified), then a minimum width.
 *
 * <p>Parsing follows OVS's format_log_message() exactly, including its edge cases: modifiers
 * only in the order '-', '0', width; {...} is consumed only after c, d and D (and ignored for c);
 * an argument longer than 127 characters is truncated. A '%' (and modifiers) at the very end is
 * dropped. Pure computation: no syscalls, and no Logback, so command-line clients that do their
 * own logging use it too.
 */
public final class LogPattern {
    private static final String DEFAULT_TIME = "%Y-%m-%d %H:%M:%S.###";
    private static final int MAX_ARGUMENT = 127;

    private final String text;
    private final List<Segment> segments;

    /** A second formatted by a %d/%D template, '#' runs not yet filled. Immutable. */
    private record TimeText(long second, ZoneId zone, String text) {
    }

    /** One piece of a pattern: literal text or one escape with its modifiers. */
    private static final class Segment {
        final String literal;       // non-null for literal text
        final char conv;
        final boolean left;
        final char pad;
        final int width;
        final String argument;      // %d/%D strftime template
        /* %d/%D: the last second formatted (messages come many to a second). */
        TimeText lastTime;

        Segment(String literal) {
            this(literal, (char) 0, false, ' ', 0, null);
        }

        Segment(String literal, char conv, boolean left, char pad, int width, String argument) {
            this.literal = literal;
            this.conv = conv;
            this.left = left;
            this.pad = pad;
            this.width = width;
            this.argument = argument;
        }
    }

    LogPattern(String text) {
        this.text = text;
        this.segments = compile(text);
    }

    /** The pattern as the user wrote it. */
    @Override
    public String toString() {
        return text;
    }

    private static List<Segment> compile(String p) {
        List<Segment> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int n = p.length();
        int i = 0;
        while (i < n) {
            char c = p.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            boolean left = false;
            char pad = ' ';
            int width = 0;
            if (i < n && p.charAt(i) == '-') {
                left = true;
                i++;
            }
            if (i < n && p.charAt(i) == '0') {
                pad = '0';
                i++;
            }
            while (i < n && p.charAt(i) >= '0' && p.charAt(i) <= '9') {
                width = width * 10 + (p.charAt(i++) - '0');
            }
            if (i >= n) {
                break;
            }
            char conv = p.charAt(i++);
            String argument = null;
            if (conv == 'c' || conv == 'd' || conv == 'D') {
                if (i < n && p.charAt(i) == '{') {
                    int close = p.indexOf('}', i + 1);
                    int end = close < 0 ? n : close;
                    argument = p.substring(i + 1, Math.min(end, i + 1 + MAX_ARGUMENT));
                    i = close < 0 ? n : close + 1;
                } else {
                    argument = DEFAULT_TIME;
                }
            }
            if (literal.length() > 0) {
                out.add(new Segment(literal.toString()));
                literal.setLength(0);
            }
            out.add(new Segment(null, conv, left, pad, width, argument));
        }
        if (literal.length() > 0) {
            out.add(new Segment(literal.toString()));
        }
        return List.copyOf(out);
    }

    /** Appends 'm' formatted by this pattern to 'out' (no newline is added). */
    void format(StringBuilder out, LogMessage m) {
        for (Segment s : segments) {
            if (s.literal != null) {
                out.append(s.literal);
                continue;
            }
            int start = out.length();
            expand(out, s, m);
            int used = out.length() - start;
            for (int k = used; k < s.width; k++) {
                if (s.left) {
                    out.append(s.pad);
                } else {
                    out.insert(start, s.pad);
                }
            }
        }
    }

    /** 'm' formatted by this pattern, without a new-line. */
    public String format(LogMessage m) {
        StringBuilder sb = new StringBuilder();
        format(sb, m);
        return sb.toString();
    }

    /** Appends 'wallMs' formatted by 's''s template in 'zone' (UTC if null). */
    private static void appendTime(StringBuilder out, Segment s, long wallMs, ZoneId zone) {
        long second = Math.floorDiv(wallMs, 1000L);
        TimeText t = s.lastTime;
        if (t == null || t.second != second || !Objects.equals(t.zone, zone)) {
            t = new TimeText(second, zone, Strftime.formatSecond(s.argument, wallMs, zone));
            s.lastTime = t;
        }
        int start = out.length();
        out.append(t.text);
        Strftime.fillFraction(out, start, (int) Math.floorMod(wallMs, 1000L));
    }

    private static void expand(StringBuilder out, Segment s, LogMessage m) {
        switch (s.conv) {
        case 'A':
            out.append(m.program);
            break;
        case 'B':
            out.append((m.facility != 0 ? m.facility : Syslog.LOCAL0) + m.level.syslogSeverity);
            break;
        case 'c':
            out.append(m.module);
            break;
        case 'd':
            appendTime(out, s, m.wallMs, ZoneId.systemDefault());
            break;
        case 'D':
            appendTime(out, s, m.wallMs, null);
            break;
        case 'E':
            out.append(m.hostname);
            break;
        case 'm': {
            int end = m.text.length();
            while (end > 0 && m.text.charAt(end - 1) == '\n') {
                end--;
            }
            out.append(m.text, 0, end);
            break;
        }
        case 'N':
            out.append(m.serial);
            break;
        case 'n':
            out.append('\n');
            break;
        case 'p':
            out.append(m.level.name());
            break;
        case 'P':
            out.append(m.pid);
            break;
        case 'r':
            out.append(m.uptimeMs);
            break;
        case 't':
            out.append(m.subprogram.isEmpty() ? "main" : m.subprogram);
            break;
        case 'T':
            if (!m.subprogram.isEmpty()) {
                out.append('(').append(m.subprogram).append(')');
            }
            break;
        default:
            out.append(s.conv);
            break;
        }
    }
}
