package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The module lists known from the start: OVS's list of ovs-vswitchd is the real daemon's, and a
 * -v spec is checked against it and the jars' declarations with OVS's error text.
 */
class KnownModulesTest {
    private static final List<String> VSWITCHD = KnownModules.ovs("ovs-vswitchd");

    @Test
    void ovsVswitchdListIsTheRealDaemonsInItsOrder() throws Exception {
        assertEquals(VlogSettingsTest.modulesOf(VlogSettingsTest.resource("vlog-list-default.txt")),
                VSWITCHD);
        assertEquals(129, VSWITCHD.size());
        assertTrue(VSWITCHD.contains("ofproto_dpif"), "the module OVS's test suites name with -v");
    }

    @Test
    void aProgramWithoutAListIsAMistake() {
        assertThrows(IllegalArgumentException.class, () -> KnownModules.ovs("ovs-nosuch"));
    }

    @Test
    void jarsDeclareTheirModules() throws Exception {
        assertTrue(KnownModules.declared(getClass().getClassLoader()).contains("declared_only"));
    }

    @Test
    void checkVerbosityKnowsOvssModulesAndTheDeclaredOnes() throws VlogException {
        for (String spec : List.of("vconn", "ofproto_dpif", "unixctl", "OFPROTO_DPIF_XLATE:file:warn",
                "declared_only:console:dbg", "console:off", "PATTERN:file:%m")) {
            KnownModules.checkVerbosity(VSWITCHD, spec);
        }
        KnownModules.checkVerbosity(VSWITCHD, null);
    }

    @Test
    void checkVerbosityFailsWithOvssText() {
        // As the real ovs-vswitchd prints it after "ovs-vswitchd: " for -vnosuchmodule:dbg.
        VlogException e = assertThrows(VlogException.class,
                () -> KnownModules.checkVerbosity(VSWITCHD, "nosuchmodule:dbg"));
        assertEquals("processing \"nosuchmodule:dbg\": no destination, level, or module \"nosuchmodule\"",
                e.getMessage());
        e = assertThrows(VlogException.class, () -> KnownModules.checkVerbosity(List.of(), "ofproto_dpif"));
        assertEquals("processing \"ofproto_dpif\": no destination, level, or module \"ofproto_dpif\"",
                e.getMessage(), "only the given and declared modules exist");
    }
}
