package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Level specs (-v, vlog/set) with OVS's error texts, and vlog/list and vlog/list-pattern compared
 * byte for byte with replies of the real ovs-vswitchd 3.1 (src/test/resources/ovs-3.1, see its
 * README): the same module names and the same commands must give the same text.
 */
class VlogSettingsTest {
    private final List<Module> changed = new ArrayList<>();
    private VlogSettings settings;

    @BeforeEach
    void setUp() {
        settings = new VlogSettings(changed::add);
        for (String name : List.of("bridge", "vconn", "ofproto", "netlink", "bond", "vlog")) {
            settings.module(name);
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = VlogSettingsTest.class.getResourceAsStream("/ovs-3.1/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The module names in a captured vlog/list (third line on). */
    static List<String> modulesOf(String list) {
        List<String> names = new ArrayList<>();
        String[] lines = list.split("\n");
        for (int i = 2; i < lines.length; i++) {
            names.add(lines[i].substring(0, lines[i].indexOf(' ')));
        }
        return names;
    }

    private String levels(Module m) {
        return m.level(Destination.CONSOLE) + " " + m.level(Destination.SYSLOG) + " "
                + m.level(Destination.FILE);
    }

    @Test
    void listMatchesTheRealDaemonByteForByte() throws IOException {
        String real = resource("vlog-list-default.txt");
        VlogSettings s = new VlogSettings(m -> { });
        // Created in reverse order: the table must come out sorted anyway.
        List<String> names = KnownModules.ovs("ovs-vswitchd");
        for (int i = names.size() - 1; i >= 0; i--) {
            s.module(names.get(i));
        }
        assertEquals(131, real.split("\n").length);
        assertEquals(real, s.levelsTable());

        for (String spec : List.of("bridge:console:dbg", "vconn:syslog:off", "FILE:emer",
                "ofproto", "netlink:warn")) {
            assertNull(s.apply(spec), spec);
        }
        assertNull(s.setRateLimits(List.of("bond"), false));
        assertNull(s.setRateLimits(List.of("vlog"), false));
        assertEquals(resource("vlog-list-changed.txt"), s.levelsTable());
    }

    @Test
    void listAfterTheTestSuitesStartMatchesTheRealDaemon() throws IOException, VlogException {
        VlogSettings s = new VlogSettings(KnownModules.ovs("ovs-vswitchd"));
        for (String spec : List.of("vconn", "ofproto_dpif", "unixctl")) {
            s.setVerbosity(spec);
        }
        // What --detach does once the daemon is ready (VlogEngine.closeConsole).
        s.setLevels(null, Destination.CONSOLE, Level.OFF);
        assertEquals(resource("vlog-list-suite-start.txt"), s.levelsTable());
    }

    @Test
    void listPatternMatchesTheRealDaemon() throws IOException {
        String libcPrefix = Syslog.libc("/nonexistent").prefix();
        assertEquals(resource("vlog-list-pattern-default.txt"), settings.patternsTable(libcPrefix));
        assertNull(settings.apply("PATTERN:console:%c|%p|%m"));
        assertNull(settings.apply("PATTERN:file:%m"));
        assertEquals(resource("vlog-list-pattern-changed.txt"), settings.patternsTable(libcPrefix));
    }

    @Test
    void wordsInAnyOrderCaseAndSeparator() {
        assertNull(settings.apply("Bridge:CONSOLE:wArN"));
        assertEquals("WARN INFO INFO", levels(settings.find("bridge")));
        assertNull(settings.apply("file dbg,vconn"));
        assertEquals("INFO INFO DBG", levels(settings.find("vconn")));
        assertNull(settings.apply("\tsyslog\t off\t"));
        assertEquals("WARN OFF INFO", levels(settings.find("bridge")));
        assertEquals("INFO OFF DBG", levels(settings.find("vconn")));
    }

    @Test
    void missingWordsMeanAllAndDbg() {
        assertNull(settings.apply("netlink"));
        assertEquals("DBG DBG DBG", levels(settings.find("netlink")));
        assertEquals("INFO INFO INFO", levels(settings.find("bridge")));
        assertNull(settings.apply("console"));
        assertEquals("DBG INFO INFO", levels(settings.find("bridge")));
        assertNull(settings.apply("err"));
        assertEquals("ERR ERR ERR", levels(settings.find("bond")));
    }

    @Test
    void anyIsIgnoredSoAnyAloneMeansDbgEverywhere() {
        assertNull(settings.apply("any"));
        assertEquals("DBG DBG DBG", levels(settings.find("vlog")));
        assertNull(settings.apply("ANY:any:warn"));
        assertEquals("WARN WARN WARN", levels(settings.find("vlog")));
        assertNull(settings.apply(""), "an empty spec, like vlog/set \"\", means dbg everywhere");
        assertEquals("DBG DBG DBG", levels(settings.find("vlog")));
    }

    @Test
    void errorTextsAreOvss() {
        assertEquals("no destination, level, or module \"foo\"", settings.apply("foo"));
        assertEquals("no destination, level, or module \"foo\"", settings.apply("dbg:foo"));
        assertEquals("cannot specify multiple destinations", settings.apply("console:file"));
        assertEquals("cannot specify multiple levels", settings.apply("info:dbg"));
        assertEquals("cannot specify multiple modules", settings.apply("bridge:vconn"));
        assertEquals("missing destination", settings.apply("PATTERN"));
        assertEquals("missing destination", settings.apply("pattern::"));
        assertEquals("unknown destination \"bogus\"", settings.apply("PATTERN:bogus:x"));
        assertEquals("invalid facility", settings.apply("FACILITY:bogus"));
        assertEquals("invalid facility", settings.apply("FACILITY"));
        assertEquals("invalid facility", settings.apply("FACILITY: daemon"));
        assertEquals("INFO INFO INFO", levels(settings.find("bridge")), "errors change nothing");
        assertEquals("unknown module", settings.setRateLimits(List.of("nope"), false));
    }

    @Test
    void patternTakesTheRestVerbatim() {
        assertNull(settings.apply("PATTERN:file:%d{%H:%M:%S}|%c, %p: %m"));
        assertEquals("%d{%H:%M:%S}|%c, %p: %m", settings.pattern(Destination.FILE).toString());
        assertNull(settings.apply("pattern:ANY:x"));
        for (Destination d : Destination.values()) {
            assertEquals("x", settings.pattern(d).toString());
        }
        assertNull(settings.apply("PATTERN:console"));
        assertEquals("", settings.pattern(Destination.CONSOLE).toString());
        assertNull(settings.apply("PATTERN:syslog::y"));
        assertEquals(":y", settings.pattern(Destination.SYSLOG).toString(),
                "only the one separator after the destination is skipped");
    }

    @Test
    void facilities() {
        assertEquals(0, settings.facility());
        assertNull(settings.apply("FACILITY:local3"));
        assertEquals(19 << 3, settings.facility());
        assertNull(settings.apply("facility:DAEMON"));
        assertEquals(3 << 3, settings.facility());
        assertNull(settings.apply("FACILITY:clock"));
        assertEquals(9 << 3, settings.facility());
        assertNull(settings.apply("FACILITY:ftp"));
        assertEquals(11 << 3, settings.facility());
        assertEquals("invalid facility", settings.apply("FACILITY:authpriv"), "not in OVS's table");
    }

    @Test
    void newModulesGetTheLevelsLastSetForAll() {
        assertNull(settings.apply("console:off"));
        assertNull(settings.apply("bridge:file:dbg"));
        assertEquals("OFF INFO INFO", levels(settings.module("late")));
        assertNull(settings.setRateLimits(List.of(), false));
        Module later = settings.module("later");
        assertEquals(false, later.honorRateLimits);
        assertNull(settings.setRateLimits(List.of("any"), true));
        assertEquals(true, later.honorRateLimits);
    }

    @Test
    void minLevelCountsTheFileOnlyWhileOpen() {
        Module m = settings.find("bridge");
        assertNull(settings.apply("bridge:file:dbg"));
        assertEquals(Level.INFO, settings.minLevel(m));
        changed.clear();
        settings.setFileOpen(true);
        assertEquals(Level.DBG, settings.minLevel(m));
        assertEquals(1, changed.size(), "Logback's levels must be updated");
        assertNull(settings.apply("console:off"));
        assertNull(settings.apply("syslog:off"));
        assertNull(settings.apply("file:off"));
        assertEquals(Level.OFF, settings.minLevel(m));
        assertEquals(Level.OFF, settings.defaultMinLevel());
    }

    @Test
    void clientSettingsWithoutAnEngine() throws VlogException {
        VlogSettings client = new VlogSettings(List.of("unixctl", "jsonrpc"));
        assertTrue(client.enables("unixctl", Destination.CONSOLE, Level.WARN));
        assertFalse(client.enables("unixctl", Destination.CONSOLE, Level.DBG));
        client.setVerbosity(null);
        assertTrue(client.enables("jsonrpc", Destination.FILE, Level.DBG),
                "a bare -v is dbg everywhere");
        client.setVerbosity("jsonrpc:console:off");
        assertFalse(client.enables("jsonrpc", Destination.CONSOLE, Level.EMER));
        assertTrue(client.enables("unixctl", Destination.CONSOLE, Level.DBG));
        VlogException e = assertThrows(VlogException.class, () -> client.setVerbosity("vconn"));
        assertEquals("processing \"vconn\": no destination, level, or module \"vconn\"",
                e.getMessage(), "only the given modules exist");
    }

    @Test
    void snapshotThroughJsonRestoresEverythingInAnotherProcessModuleTable() throws Exception {
        assertNull(settings.apply("console:warn"));
        assertNull(settings.apply("bridge:file:dbg"));
        assertNull(settings.apply("PATTERN:file:%c%T|%m"));
        assertNull(settings.apply("FACILITY:local3"));
        assertNull(settings.setRateLimits(List.of("vconn"), false));
        Object json = org.jovs.core.json.Json.parse(
                org.jovs.core.json.Json.toString(settings.snapshot()));

        // The worker knows a module the main process does not, and lacks "bond".
        VlogSettings worker = new VlogSettings(m -> { });
        for (String name : List.of("bridge", "vconn", "ofproto", "netlink", "vlog", "worker_only")) {
            worker.module(name);
        }
        worker.restore((java.util.Map<?, ?>) json);
        assertEquals("WARN INFO DBG", levels(worker.find("bridge")));
        assertEquals("WARN INFO INFO", levels(worker.find("worker_only")));
        assertEquals("WARN INFO INFO", levels(worker.find("bond")));
        assertEquals(false, worker.find("vconn").honorRateLimits);
        assertEquals(true, worker.find("netlink").honorRateLimits);
        assertEquals(settings.patternsTable("x"), worker.patternsTable("x"));
        assertEquals(settings.facility(), worker.facility());
        assertEquals("WARN INFO INFO", levels(worker.module("new_later")));
    }

    @Test
    void modulesAreCaseInsensitive() {
        assertNull(settings.apply("BRIDGE:warn"));
        assertEquals("WARN WARN WARN", levels(settings.module("Bridge")));
        assertEquals(6, settings.modules().size());
    }
}
