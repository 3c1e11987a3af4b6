package org.jovs.vlog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * strftime(3) in the C locale, as glibc formats it, plus OVS's fractional seconds: after
 * formatting, each run of '#' becomes the milliseconds' digits and then zeros ("###" = "042",
 * "#" = "0", "####" = "0420"), as OVS's strftime_msec() does for {@code %d{...}} and
 * {@code %D{...}} in log patterns.
 *
 * <p>Supported conversions: %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P
 * %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%, with glibc's flags '_' (pad with spaces),
 * '-' (no padding), '0' (pad with zeros) and '^' (upper case), a field width, and the E and O
 * modifiers (accepted, no effect in the C locale). An unknown conversion is copied literally, as
 * glibc does. In UTC, %Z is "GMT", as gmtime() reports it. Pure computation: no syscalls.
 */
final class Strftime {
    private static final String[] DAYS = {
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
    };
    private static final String[] MONTHS = {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"
    };
    private static final DateTimeFormatter ZONE_ABBREV =
            DateTimeFormatter.ofPattern("zzz", Locale.ROOT);

    private Strftime() {
    }

    /** Formats 'wallMs' (ms since the epoch) by 'template' in UTC or in the local time zone. */
    static String format(String template, long wallMs, boolean utc) {
        return format(template, wallMs, utc ? null : ZoneId.systemDefault());
    }

    /** Formats 'wallMs' by 'template' in 'zone', or in UTC (named "GMT") if 'zone' is null. */
    static String format(String template, long wallMs, ZoneId zone) {
        StringBuilder out = new StringBuilder(formatSecond(template, wallMs, zone));
        fillFraction(out, 0, (int) Math.floorMod(wallMs, 1000L));
        return out.toString();
    }

    /**
     * Formats the whole second of 'wallMs' by 'template', leaving the runs of '#' for
     * {@link #fillFraction}: the same for every millisecond of that second, so it can be cached.
     */
    static String formatSecond(String template, long wallMs, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(Math.floorDiv(wallMs, 1000L) * 1000L)
                .atZone(zone == null ? ZoneOffset.UTC : zone);
        StringBuilder out = new StringBuilder(template.length() + 16);
        appendTime(out, template, t, zone == null);
        return out.toString();
    }

    /** Replaces each run of '#' in 'sb' from index 'from' by the 3 digits of 'msec', then zeros. */
    static void fillFraction(StringBuilder sb, int from, int msec) {
        for (int i = from; i < sb.length(); i++) {
            for (int k = 0; i < sb.length() && sb.charAt(i) == '#'; i++, k++) {
                char digit = '0';
                if (k == 0) {
                    digit = (char) ('0' + msec / 100);
                } else if (k == 1) {
                    digit = (char) ('0' + msec / 10 % 10);
                } else if (k == 2) {
                    digit = (char) ('0' + msec % 10);
                }
                sb.setCharAt(i, digit);
            }
        }
    }

    private static void appendTime(StringBuilder out, String tpl, ZonedDateTime t, boolean gmt) {
        int n = tpl.length();
        for (int i = 0; i < n; i++) {
            char c = tpl.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i;
            char pad = 0;          // 0: the conversion's own padding
            boolean upper = false;
            for (i++; i < n && "_-0^#".indexOf(tpl.charAt(i)) >= 0; i++) {
                char f = tpl.charAt(i);
                if (f == '^') {
                    upper = true;
                } else if (f != '#') {
                    pad = f;
                }
            }
            int width = -1;
            for (; i < n && Character.isDigit(tpl.charAt(i)); i++) {
                width = Math.max(width, 0) * 10 + (tpl.charAt(i) - '0');
            }
            if (i < n && (tpl.charAt(i) == 'E' || tpl.charAt(i) == 'O')) {
                i++;
            }
            if (i >= n) {
                out.append(tpl, start, n);
                break;
            }
            String field = convert(tpl.charAt(i), t, gmt, pad, width);
            if (field == null) {
                out.append(tpl, start, i + 1);
            } else {
                out.append(upper ? field.toUpperCase(Locale.ROOT) : field);
            }
        }
    }

    /** One conversion, padded; null if 'conv' is unknown. */
    private static String convert(char conv, ZonedDateTime t, boolean gmt, char pad, int width) {
        int wday = t.getDayOfWeek().getValue() % 7;
        int yday = t.getDayOfYear() - 1;
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        switch (conv) {
        case 'a':
            return text(DAYS[wday].substring(0, 3), pad, width);
        case 'A':
            return text(DAYS[wday], pad, width);
        case 'b':
        case 'h':
            return text(MONTHS[t.getMonthValue() - 1].substring(0, 3), pad, width);
        case 'B':
            return text(MONTHS[t.getMonthValue() - 1], pad, width);
        case 'c':
            return composite("%a %b %e %H:%M:%S %Y", t, gmt, pad, width);
        case 'C':
            return number(Math.floorDiv(t.getYear(), 100), 2, '0', pad, width);
        case 'd':
            return number(t.getDayOfMonth(), 2, '0', pad, width);
        case 'D':
        case 'x':
            return composite("%m/%d/%y", t, gmt, pad, width);
        case 'e':
            return number(t.getDayOfMonth(), 2, '_', pad, width);
        case 'F':
            return composite("%Y-%m-%d", t, gmt, pad, width);
        case 'g':
            return number(Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0', pad,
                    width);
        case 'G':
            return number(t.get(IsoFields.WEEK_BASED_YEAR), 1, '0', pad, width);
        case 'H':
            return number(t.getHour(), 2, '0', pad, width);
        case 'I':
            return number(hour12, 2, '0', pad, width);
        case 'j':
            return number(yday + 1, 3, '0', pad, width);
        case 'k':
            return number(t.getHour(), 2, '_', pad, width);
        case 'l':
            return number(hour12, 2, '_', pad, width);
        case 'm':
            return number(t.getMonthValue(), 2, '0', pad, width);
        case 'M':
            return number(t.getMinute(), 2, '0', pad, width);
        case 'n':
            return "\n";
        case 'p':
            return text(t.getHour() < 12 ? "AM" : "PM", pad, width);
        case 'P':
            return text(t.getHour() < 12 ? "am" : "pm", pad, width);
        case 'r':
            return composite("%I:%M:%S %p", t, gmt, pad, width);
        case 'R':
            return composite("%H:%M", t, gmt, pad, width);
        case 's':
            return number(t.toEpochSecond(), 1, '0', pad, width);
        case 'S':
            return number(t.getSecond(), 2, '0', pad, width);
        case 't':
            return "\t";
        case 'T':
        case 'X':
            return composite("%H:%M:%S", t, gmt, pad, width);
        case 'u':
            return number(wday == 0 ? 7 : wday, 1, '0', pad, width);
        case 'U':
            return number((yday + 7 - wday) / 7, 2, '0', pad, width);
        case 'V':
            return number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', pad, width);
        case 'w':
            return number(wday, 1, '0', pad, width);
        case 'W':
            return number((yday + 7 - (wday + 6) % 7) / 7, 2, '0', pad, width);
        case 'y':
            return number(Math.floorMod(t.getYear(), 100), 2, '0', pad, width);
        case 'Y':
            return number(t.getYear(), 1, '0', pad, width);
        case 'z': {
            int secs = t.getOffset().getTotalSeconds();
            int mins = Math.abs(secs) / 60;
            String z = (secs < 0 ? "-" : "+") + String.format("%02d%02d", mins / 60, mins % 60);
            return text(z, pad, width);
        }
        case 'Z':
            return text(gmt ? "GMT" : ZONE_ABBREV.format(t), pad, width);
        case '%':
            return text("%", pad, width);
        default:
            return null;
        }
    }

    private static String composite(String tpl, ZonedDateTime t, boolean gmt, char pad,
                                    int width) {
        StringBuilder sb = new StringBuilder();
        appendTime(sb, tpl, t, gmt);
        return text(sb.toString(), pad, width);
    }

    /** 'value' padded to 'width' (or 'defWidth') with the flag's or the default pad. */
    private static String number(long value, int defWidth, char defPad, char pad, int width) {
        char p = pad == 0 ? defPad : pad;
        String digits = Long.toString(value);
        int w = p == '-' ? 0 : width >= 0 ? width : defWidth;
        return leftPad(digits, w, p == '_' ? ' ' : '0');
    }

    private static String text(String s, char pad, int width) {
        return pad == '-' ? s : leftPad(s, width, pad == '0' ? '0' : ' ');
    }

    private static String leftPad(String s, int width, char fill) {
        if (s.length() >= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            sb.append(fill);
        }
        return sb.append(s).toString();
    }
}
