package org.jovs.utilities;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Formats one log message by an OVS vlog pattern (see ovs-appctl(8), "vlog/set PATTERN"):
 * %A program, %B syslog priority, %c module, %d{FMT} local and %D{FMT} UTC time in strftime()
 * syntax where '#'s become milliseconds, %E host name, %m message (trailing new-lines trimmed),
 * %N message number, %n new-line, %p level, %P pid, %r milliseconds since start, %t and %T
 * subprogram (always "main" and empty here: a client has no threads of its own), with an
 * optional "-" for left justification, "0" for zero padding and a minimum field width.
 * Anything else after "%" stands for itself. Pure logic, apart from reading the host name.
 */
final class VlogPattern {
    private static final String DEFAULT_TIME = "%Y-%m-%d %H:%M:%S.###";

    /** Everything a pattern can show about one message. */
    record Message(String module, Vlog.Level level, String text, long seqno, long wallMsec, long uptimeMsec,
                   int facility, String programName, long pid) {
    }

    private VlogPattern() {
    }

    static String format(String pattern, Message m) {
        StringBuilder s = new StringBuilder();
        int p = 0;
        while (p < pattern.length()) {
            char c = pattern.charAt(p++);
            if (c != '%') {
                s.append(c);
                continue;
            }
            boolean left = p < pattern.length() && pattern.charAt(p) == '-';
            p += left ? 1 : 0;
            char pad = p < pattern.length() && pattern.charAt(p) == '0' ? '0' : ' ';
            p += pad == '0' ? 1 : 0;
            int field = 0;
            while (p < pattern.length() && Character.isDigit(pattern.charAt(p))) {
                field = field * 10 + (pattern.charAt(p++) - '0');
            }
            if (p >= pattern.length()) {
                break;
            }
            int start = s.length();
            char conv = pattern.charAt(p++);
            String braces = null;
            if ((conv == 'c' || conv == 'd' || conv == 'D') && p < pattern.length() && pattern.charAt(p) == '{') {
                int close = pattern.indexOf('}', p + 1);
                int end = close < 0 ? pattern.length() : close;
                braces = pattern.substring(p + 1, end);
                p = Math.min(end + 1, pattern.length());
            }
            String timeFormat = braces != null ? braces : DEFAULT_TIME;
            switch (conv) {
            case 'A' -> s.append(m.programName());
            case 'B' -> s.append((m.facility() != 0 ? m.facility() : Vlog.LOG_LOCAL0) + m.level().syslogLevel);
            case 'c' -> s.append(m.module());
            case 'd' -> s.append(strftime(timeFormat, m.wallMsec(), ZoneId.systemDefault()));
            case 'D' -> s.append(strftime(timeFormat, m.wallMsec(), ZoneOffset.UTC));
            case 'E' -> s.append(hostName());
            case 'm' -> s.append(trimTrailingNewlines(m.text()));
            case 'N' -> s.append(m.seqno());
            case 'n' -> s.append('\n');
            case 'p' -> s.append(m.level().name());
            case 'P' -> s.append(m.pid());
            case 'r' -> s.append(m.uptimeMsec());
            case 't' -> s.append("main");
            case 'T' -> { }
            default -> s.append(conv);
            }
            int used = s.length() - start;
            if (used < field) {
                String padding = String.valueOf(pad).repeat(field - used);
                s.insert(left ? s.length() : start, padding);
            }
        }
        return s.toString();
    }

    private static String trimTrailingNewlines(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        return text.substring(0, end);
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * strftime() in the C locale for the conversions log patterns use, then each run of '#'
     * replaced by the milliseconds, as OVS's strftime_msec() does.
     */
    static String strftime(String format, long wallMsec, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(wallMsec).atZone(zone);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                s.append(c);
                continue;
            }
            char conv = format.charAt(++i);
            switch (conv) {
            case 'a' -> s.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
            case 'A' -> s.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
            case 'b', 'h' -> s.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
            case 'B' -> s.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
            case 'C' -> s.append(two(t.getYear() / 100));
            case 'd' -> s.append(two(t.getDayOfMonth()));
            case 'D' -> s.append(strftime("%m/%d/%y", wallMsec, zone));
            case 'e' -> s.append(String.format("%2d", t.getDayOfMonth()));
            case 'F' -> s.append(strftime("%Y-%m-%d", wallMsec, zone));
            case 'H' -> s.append(two(t.getHour()));
            case 'I' -> s.append(two((t.getHour() + 11) % 12 + 1));
            case 'j' -> s.append(String.format("%03d", t.getDayOfYear()));
            case 'k' -> s.append(String.format("%2d", t.getHour()));
            case 'l' -> s.append(String.format("%2d", (t.getHour() + 11) % 12 + 1));
            case 'm' -> s.append(two(t.getMonthValue()));
            case 'M' -> s.append(two(t.getMinute()));
            case 'n' -> s.append('\n');
            case 'p' -> s.append(t.getHour() < 12 ? "AM" : "PM");
            case 'R' -> s.append(strftime("%H:%M", wallMsec, zone));
            case 's' -> s.append(Math.floorDiv(wallMsec, 1000));
            case 'S' -> s.append(two(t.getSecond()));
            case 't' -> s.append('\t');
            case 'T' -> s.append(strftime("%H:%M:%S", wallMsec, zone));
            case 'u' -> s.append(t.getDayOfWeek().getValue());
            case 'w' -> s.append(t.getDayOfWeek().getValue() % 7);
            case 'y' -> s.append(two(t.getYear() % 100));
            case 'Y' -> s.append(t.getYear());
            case 'z' -> s.append(DateTimeFormatter.ofPattern("xx", Locale.ROOT).format(t));
            case 'Z' -> s.append(zone == ZoneOffset.UTC ? "GMT"
                    : DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(t));
            case '%' -> s.append('%');
            default -> s.append('%').append(conv);
            }
        }
        return fillMilliseconds(s, (int) Math.floorMod(wallMsec, 1000L));
    }

    private static String fillMilliseconds(StringBuilder s, int msec) {
        String digits = String.format("%03d", msec);
        for (int i = 0; i < s.length(); i++) {
            for (int d = 0; i < s.length() && s.charAt(i) == '#'; i++, d++) {
                s.setCharAt(i, d < digits.length() ? digits.charAt(d) : '0');
            }
        }
        return s.toString();
    }

    private static String two(int n) {
        return String.format("%02d", n);
    }
}
