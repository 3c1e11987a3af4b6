package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TimeZone;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every pattern escape and modifier, with OVS's parsing quirks, on fixed messages. */
class LogPatternTest {
    private static TimeZone savedZone;

    /** 2026-11-23T18:24:46.929Z, serial 73, as the real ovs-vswitchd logged it (see below). */
    private static final LogMessage MSG = new LogMessage("vlog", Level.INFO,
            "opened log file /x.log", 73, 1795458286_929L, 621305, "ovs-vswitchd", "", 7882,
            "vm", 0);

    @BeforeAll
    static void utc() {
        // %d uses the local zone; pin it so that the expected strings hold on any machine.
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @AfterAll
    static void restore() {
        TimeZone.setDefault(savedZone);
    }

    private static String fmt(String pattern, LogMessage m) {
        return new LogPattern(pattern).format(m);
    }

    private static LogMessage msg(Level level, String text, String subprogram, int facility) {
        return new LogMessage("bridge", level, text, 5, 1795458286_042L, 1234, "ovs-vswitchd",
                subprogram, 4321, "host1", facility);
    }

    @Test
    void sameOutputAsTheRealOvsVswitchd() {
        // Captured from ovs-vswitchd 3.1.0 (pid 7882, host "vm", TZ UTC) after
        // "ovs-appctl vlog/set PATTERN:file:<this pattern>" and "vlog/reopen" on a closed file.
        String pattern = "[%A][%B][%c][%E][%P][%r][%t][%T][%10p][%-10p][%05p][%-05N][%x][%%][%d]"
                + "[%D{%j %a %b %y %Z %z %e %T %F %s %h ##}][%d{#.####}]";
        assertEquals("[ovs-vswitchd][133][vlog][vm][7882][621305][main][][      INFO][INFO      ]"
                + "[0INFO][73000][x][%][2026-11-23 18:24:46.929][327 Mon Nov 26 GMT +0000 23 "
                + "18:24:46 2026-11-23 1795458286 Nov 92][9.9290]", fmt(pattern, MSG));
        assertEquals("opened log file /x.log\nvlog", fmt("%m%n%c", MSG));
    }

    @Test
    void defaultPatterns() {
        LogMessage m = msg(Level.WARN, "hello", "", 0);
        assertEquals("2026-11-23T18:24:46.042Z|00005|bridge|WARN|hello",
                fmt(Destination.FILE.defaultPattern, m));
        assertEquals("2026-11-23T18:24:46Z|00005|bridge|WARN|hello",
                fmt(Destination.CONSOLE.defaultPattern, m));
        assertEquals("ovs|00005|bridge|WARN|hello", fmt(Destination.SYSLOG.defaultPattern, m));
        assertEquals("ovs|00005|bridge(worker)|WARN|hello",
                fmt(Destination.SYSLOG.defaultPattern, msg(Level.WARN, "hello", "worker", 0)));
    }

    @Test
    void eachEscape() {
        LogMessage m = msg(Level.DBG, "text\n\n", "worker", 0);
        assertEquals("ovs-vswitchd", fmt("%A", m));
        assertEquals("bridge", fmt("%c", m));
        assertEquals("bridge", fmt("%c{ignored}", m));
        assertEquals("2026-11-23 18:24:46.042", fmt("%d", m));
        assertEquals("2026-11-23 18:24:46.042", fmt("%D", m));
        assertEquals("18:24", fmt("%D{%H:%M}", m));
        assertEquals("host1", fmt("%E", m));
        assertEquals("text", fmt("%m", m), "trailing newlines are trimmed");
        assertEquals("a\nb", fmt("%m", msg(Level.DBG, "a\nb\n", "", 0)), "inner ones are kept");
        assertEquals("a\nb", fmt("a%nb", m));
        assertEquals("5", fmt("%N", m));
        assertEquals("DBG", fmt("%p", m));
        assertEquals("4321", fmt("%P", m));
        assertEquals("1234", fmt("%r", m));
        assertEquals("worker", fmt("%t", m));
        assertEquals("(worker)", fmt("%T", m));
        assertEquals("main|", fmt("%t|%T", msg(Level.DBG, "x", "", 0)));
        assertEquals("%", fmt("%%", m));
        assertEquals("q{x}", fmt("%q{x}", m), "unknown escapes stand for themselves");
    }

    @Test
    void syslogPriorityUsesLocal0UnlessAFacilityIsSet() {
        assertEquals("129 131 132 133 135", fmt("%B", msg(Level.EMER, "", "", 0)) + " "
                + fmt("%B", msg(Level.ERR, "", "", 0)) + " " + fmt("%B", msg(Level.WARN, "", "", 0))
                + " " + fmt("%B", msg(Level.INFO, "", "", 0)) + " "
                + fmt("%B", msg(Level.DBG, "", "", 0)));
        assertEquals("31", fmt("%B", msg(Level.DBG, "", "", Syslog.DAEMON)));
    }

    @Test
    void widthJustificationAndPadding() {
        LogMessage m = msg(Level.INFO, "msg", "", 0);
        assertEquals("[    INFO]", fmt("[%8p]", m));
        assertEquals("[INFO    ]", fmt("[%-8p]", m));
        assertEquals("[0000INFO]", fmt("[%08p]", m));
        assertEquals("[INFO0000]", fmt("[%-08p]", m));
        assertEquals("[00005]", fmt("[%05N]", m));
        assertEquals("[5    ]", fmt("[%-5N]", m));
        assertEquals("[INFO]", fmt("[%2p]", m), "a width never truncates");
        assertEquals("[    x]", fmt("[%5x]", m), "modifiers apply to unknown escapes too");
        assertEquals("[-5N]", fmt("[%0-5N]", m), "'-' after '0' is not a modifier");
        assertEquals("[        bridge]", fmt("[%14c{ignored}]", m));
    }

    @Test
    void braces() {
        LogMessage m = msg(Level.INFO, "msg", "", 0);
        assertEquals("2026|", fmt("%D{%Y}|", m));
        assertEquals("x", fmt("%D{x}", m));
        assertEquals("", fmt("%D{}", m));
        assertEquals("2026 never closed", fmt("%D{%Y never closed", m));
        assertEquals("msg{Y}", fmt("%m{%Y}", m), "only c, d and D take braces");
        String longArg = "%Y" + "x".repeat(200);
        assertEquals("2026" + "x".repeat(125), fmt("%D{" + longArg + "}", m),
                "an argument is cut at 127 characters, as OVS's buffer does");
    }

    @Test
    void trailingPercentIsDropped() {
        LogMessage m = msg(Level.INFO, "msg", "", 0);
        assertEquals("a", fmt("a%", m));
        assertEquals("a", fmt("a%-05", m));
    }
}
