package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jovs.core.natives.NativeException;
import org.jovs.netlink.natives.NlNative;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Driver information, link settings and offload features of a veth and a tap in a private
 * namespace, checked against what ethtool(8) prints for them.
 */
class EthtoolTest {
    private static TestNamespace ns;
    private static NlSocket genl;
    private static Ethtool ethtool;
    private static Tap tap;

    @BeforeAll
    static void setUp() throws Exception {
        ns = new TestNamespace();
        ns.ip("link", "add", "ev0", "type", "veth", "peer", "name", "ev1");
        ns.ip("link", "set", "ev0", "up");
        genl = ns.call(() -> NlSocket.open(Netlink.NETLINK_GENERIC));
        ethtool = ns.call(() -> new Ethtool(genl, new GenlFamilies(genl)));
        tap = ns.call(() -> Tap.create("et0"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (tap != null) {
            tap.close();
        }
        if (ethtool != null) {
            ethtool.close();
        }
        if (genl != null) {
            genl.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void vethMatchesEthtool() throws Exception {
        checkDevice("ev0", "veth");
    }

    @Test
    void tapMatchesEthtool() throws Exception {
        checkDevice("et0", "tun");
    }

    @Test
    void unknownDeviceIsAnError() throws Exception {
        NativeException ioctl = assertThrows(NativeException.class, () -> ethtool.driverInfo("nosuchdev0"));
        assertEquals(NlNative.ENODEV, ioctl.errno());
        NlKernelException genlError = assertThrows(NlKernelException.class, () -> ethtool.features("nosuchdev0"));
        assertEquals(NlNative.ENODEV, genlError.errno());
    }

    private void checkDevice(String dev, String driver) throws Exception {
        Map<String, String> i = keyValues(ns.exec("ethtool", "-i", dev));
        Ethtool.DriverInfo info = ethtool.driverInfo(dev);
        assertEquals(driver, info.driver());
        assertEquals(i.get("driver"), info.driver());
        assertEquals(i.get("version"), info.version());
        assertEquals(i.get("firmware-version"), info.firmwareVersion());
        assertEquals(i.get("expansion-rom-version"), info.expansionRomVersion());
        assertEquals(i.get("bus-info"), info.busInfo());
        assertEquals(i.get("supports-statistics"), yesNo(info.supportsStatistics()));
        assertEquals(i.get("supports-test"), yesNo(info.supportsTest()));
        assertEquals(i.get("supports-eeprom-access"), yesNo(info.supportsEepromAccess()));
        assertEquals(i.get("supports-register-dump"), yesNo(info.supportsRegisterDump()));
        assertEquals(i.get("supports-priv-flags"), yesNo(info.supportsPrivFlags()));

        Map<String, String> settings = keyValues(ns.exec("ethtool", dev));
        Ethtool.LinkModes modes = ethtool.linkModes(dev);
        assertEquals(settings.get("Speed"), modes.speed() > 0 ? modes.speed() + "Mb/s" : "Unknown!");
        assertEquals(settings.get("Duplex"), modes.duplex() == 1 ? "Full" : modes.duplex() == 0 ? "Half" : "Unknown! (255)");
        assertEquals(settings.get("Auto-negotiation"), modes.autoneg() ? "on" : "off");
        assertEquals(settings.get("Supported link modes"),
                modes.supported().isEmpty() ? "Not reported" : String.join(" ", modes.supported()));

        String k = ns.exec("ethtool", "-k", dev);
        List<String> lines = Arrays.asList(k.split("\n"));
        assertEquals("Features for " + dev + ":", lines.get(0));
        EthtoolFeatures features = ethtool.features(dev);
        assertTrue(features.all().size() > 40, "kernel feature names: " + features.all().size());
        assertEquals(lines.subList(1, lines.size()), features.listing());
    }

    /** "key: value" lines (indented or not) as a map; values trimmed. */
    private static Map<String, String> keyValues(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
