package org.jovs.utilities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** OVS log patterns: conversions, justification and padding, and strftime() with milliseconds. */
class VlogPatternTest {
    /** 2024-02-29T13:05:09.042Z. */
    private static final long WHEN = 1709211909042L;

    private static VlogPattern.Message message(String text) {
        return new VlogPattern.Message("unixctl", Vlog.Level.WARN, text, 7, WHEN, 1234, 0, "ovs-appctl", 4321);
    }

    @Test
    void defaultPatterns() {
        assertEquals("2024-02-29T13:05:09Z|00007|unixctl|WARN|failed",
                VlogPattern.format(Vlog.Destination.CONSOLE.defaultPattern, message("failed\n\n")));
        assertEquals("2024-02-29T13:05:09.042Z|00007|unixctl|WARN|failed",
                VlogPattern.format(Vlog.Destination.FILE.defaultPattern, message("failed")));
        assertEquals("ovs|00007|unixctl|WARN|a\nb", VlogPattern.format(Vlog.Destination.SYSLOG.defaultPattern,
                message("a\nb\n")));
    }

    @Test
    void fieldsJustifyAndPad() {
        assertEquals("[  WARN][WARN  ][0007][unixctl]", VlogPattern.format("[%6p][%-6p][%04N][%3c]", message("")));
        assertEquals("x%q", VlogPattern.format("x%%%q", message("")));
    }

    @Test
    void everyConversion() {
        assertEquals("ovs-appctl 132 unixctl 7 WARN 4321 1234 main  m|", VlogPattern.format(
                "%A %B %c{x} %N %p %P %r %t %T %m|", message("m")));
    }

    @Test
    void facilityChangesSyslogPriority() {
        VlogPattern.Message m = new VlogPattern.Message("vlog", Vlog.Level.DBG, "", 1, WHEN, 0, 3 << 3,
                "p", 1);
        assertEquals("<31>", VlogPattern.format("<%B>", m));
    }

    @Test
    void strftimeWithMilliseconds() {
        assertEquals("2024-02-29 13:05:09.042", VlogPattern.strftime("%Y-%m-%d %H:%M:%S.###", WHEN, ZoneOffset.UTC));
        assertEquals("04200", VlogPattern.strftime("#####", WHEN, ZoneOffset.UTC));
        assertEquals("Thu Feb 29 060 02/29/24  1:05:09 PM GMT +0000 %", VlogPattern.strftime(
                "%a %b %e %j %D %l:%M:%S %p %Z %z %%", WHEN, ZoneOffset.UTC));
    }
}
