package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/**
 * strftime against outputs of GNU date(1) in the C locale (LC_ALL=C date -u -d @SECS +FORMAT),
 * with %Z "GMT" in UTC as glibc's gmtime() sets it, and against a line captured from the real
 * ovs-vswitchd 3.1.
 */
class StrftimeTest {
    private static final String ALL = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m "
            + "%M %p %P %r %R %s %S %T %u %U %V %w %W %x %X %y %Y %z %Z %% %t|%n|";

    @Test
    void everyConversionOnAMondayInNovember() {
        assertEquals("Mon Monday Nov November Mon Nov 23 18:24:46 2026 20 23 11/23/26 23 "
                + "2026-11-23 26 2026 Nov 18 06 327 18  6 11 24 PM pm 06:24:46 PM 18:24 "
                + "1795458286 46 18:24:46 1 47 48 1 47 11/23/26 18:24:46 26 2026 +0000 GMT % \t|\n|",
                Strftime.format(ALL, 1795458286_000L, true));
    }

    @Test
    void newYearsDayInIsoWeek53OfThePreviousYear() {
        assertEquals("Fri Friday Jan January Fri Jan  1 05:06:07 2027 20 01 01/01/27  1 "
                + "2027-01-01 26 2026 Jan 05 05 001  5  5 01 06 AM am 05:06:07 AM 05:06 "
                + "1798779967 07 05:06:07 5 00 53 5 00 01/01/27 05:06:07 27 2027 +0000 GMT % \t|\n|",
                Strftime.format(ALL, 1798779967_000L, true));
    }

    @Test
    void lateDecemberInIsoWeek1OfTheNextYear() {
        assertEquals("Mon Monday Dec December Mon Dec 30 23:59:59 2024 20 30 12/30/24 30 "
                + "2024-12-30 25 2025 Dec 23 11 365 23 11 12 59 PM pm 11:59:59 PM 23:59 "
                + "1735603199 59 23:59:59 1 52 01 1 53 12/30/24 23:59:59 24 2024 +0000 GMT % \t|\n|",
                Strftime.format(ALL, 1735603199_000L, true));
    }

    @Test
    void flagsWidthsAndModifiers() {
        assertEquals("[23][11][02026][MON][    Monday][327][ 23][18][18][1795458286][26][18]",
                Strftime.format("[%-d][%_m][%05Y][%^a][%10A][%-j][%3e][%_H][%-H][%010s][%Ey]"
                        + "[%OH]", 1795458286_000L, true));
    }

    @Test
    void unknownConversionsAndATrailingPercentAreCopied() {
        assertEquals("%q %-Q x%", Strftime.format("%q %-Q x%", 0, true));
    }

    @Test
    void localTimeUsesTheZoneAndItsAbbreviation() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertEquals("2026-03-29 03:30:00 CEST +0200 Sun Mar 29 03:30:00 2026",
                Strftime.format("%F %T %Z %z %c", 1774747800_000L, berlin));
        assertEquals("2026-11-23 19:24:46 CET +0100 Mon Nov 23 19:24:46 2026",
                Strftime.format("%F %T %Z %z %c", 1795458286_000L, berlin));
        assertEquals("2026-11-23 14:54:46 NST -0330",
                Strftime.format("%F %T %Z %z", 1795458286_000L, ZoneId.of("America/St_Johns")));
    }

    @Test
    void hashesBecomeMillisecondsThenZeros() {
        long t = 1795458286_042L;
        assertEquals("18:24:46.042", Strftime.format("%H:%M:%S.###", t, true));
        assertEquals("0 04 042 0420 042000", Strftime.format("# ## ### #### ######", t, true));
    }

    @Test
    void matchesTheRealOvsVswitchd() {
        // ovs-vswitchd 3.1 with -vPATTERN:file:...%D{%j %a %b %y %Z %z %e %T %F %s %h ##}...
        // %d{#.####} logged at 2026-11-23T18:24:46.929Z.
        long t = 1795458286_929L;
        assertEquals("327 Mon Nov 26 GMT +0000 23 18:24:46 2026-11-23 1795458286 Nov 92",
                Strftime.format("%j %a %b %y %Z %z %e %T %F %s %h ##", t, true));
        assertEquals("9.9290", Strftime.format("#.####", t, true));
    }
}
