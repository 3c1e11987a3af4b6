package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generic netlink family resolution against the real kernel, checked with iproute2's genl. */
class GenlFamiliesTest {
    private static final Pattern NAME = Pattern.compile("^Name: (\\S+)");
    private static final Pattern HEADER = Pattern.compile(
            "^\\s+ID: 0x(\\p{XDigit}+)\\s+Version: 0x(\\p{XDigit}+)\\s+header size: (\\d+)\\s+max attribs: (\\d+)");
    private static final Pattern GROUP = Pattern.compile("^\\s+#\\d+:\\s+ID-0x(\\p{XDigit}+)\\s+name: (\\S+)");
    private static final Pattern COMMAND = Pattern.compile("^\\s+#\\d+:\\s+ID-0x\\p{XDigit}+\\s*$");

    private NlSocket sock;
    private GenlFamilies families;

    @BeforeEach
    void open() throws Exception {
        sock = NlSocket.open(Netlink.NETLINK_GENERIC);
        families = new GenlFamilies(sock);
    }

    @AfterEach
    void close() {
        sock.close();
    }

    @Test
    void familyDumpEqualsGenlCtrlList() throws Exception {
        List<GenlFamily> expected = parseGenlCtrlList(TestNamespace.run("genl", "ctrl", "list"));
        List<GenlFamily> dumped = families.dump();
        assertTrue(expected.size() >= 3, "genl ctrl list shows too few families: " + expected);
        assertEquals(expected.size(), dumped.size(), "family count");
        for (int i = 0; i < expected.size(); i++) {
            GenlFamily want = expected.get(i);
            GenlFamily got = dumped.get(i);
            assertEquals(want.name(), got.name());
            assertEquals(want.id(), got.id(), got.name() + " id");
            assertEquals(want.version(), got.version(), got.name() + " version");
            assertEquals(want.headerSize(), got.headerSize(), got.name() + " header size");
            assertEquals(want.maxAttr(), got.maxAttr(), got.name() + " max attribs");
            assertEquals(want.ops().size(), got.ops().size(), got.name() + " operation count");
            assertEquals(want.groups(), got.groups(), got.name() + " multicast groups");
        }
    }

    @Test
    void lookupMatchesTheDumpAndIsCached() throws Exception {
        GenlFamily nlctrl = families.lookup("nlctrl").orElseThrow();
        assertEquals(Netlink.GENL_ID_CTRL, nlctrl.id());
        assertEquals(Map.of("notify", Netlink.GENL_ID_CTRL), nlctrl.groups());
        GenlFamily ethtool = families.lookup("ethtool").orElseThrow();
        GenlFamily dumped = families.dump().stream().filter(f -> f.name().equals("ethtool")).findFirst().orElseThrow();
        assertEquals(dumped, ethtool);
        assertTrue(families.lookup("ethtool").get() == families.lookup("ethtool").get(), "cached instance");
    }

    @Test
    void absentFamilyIsEmptyNotAnError() throws Exception {
        // nlctrl answers ENOENT for this one...
        assertEquals(Optional.empty(), families.lookup("jovs_nofamily"));
        // ...and would answer EINVAL for a name longer than GENL_NAMSIZ allows.
        assertEquals(Optional.empty(), families.lookup("jovs_no_such_family_at_all"));
        // OVS's classic case: without the openvswitch module, ovs_datapath does not exist.
        boolean loaded = families.dump().stream().anyMatch(f -> f.name().equals("ovs_datapath"));
        assertEquals(loaded, families.lookup("ovs_datapath").isPresent());
        assertFalse(families.lookup("jovs_nofamily").isPresent(), "absence is not cached as presence");
    }

    /** Parses {@code genl ctrl list}: per family its header line, commands and multicast groups. */
    static List<GenlFamily> parseGenlCtrlList(String text) {
        List<GenlFamily> out = new ArrayList<>();
        String name = null;
        int[] header = null;
        List<GenlFamily.Op> ops = new ArrayList<>();
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (String line : (text + "\nName: END").split("\n")) {
            Matcher m;
            if ((m = NAME.matcher(line)).find()) {
                if (name != null) {
                    out.add(new GenlFamily(name, header[0], header[1], header[2], header[3], ops, groups));
                }
                name = m.group(1);
                ops = new ArrayList<>();
                groups = new LinkedHashMap<>();
            } else if ((m = HEADER.matcher(line)).find()) {
                header = new int[] {Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))};
            } else if ((m = GROUP.matcher(line)).find()) {
                groups.put(m.group(2), Integer.parseInt(m.group(1), 16));
            } else if (COMMAND.matcher(line).find()) {
                ops.add(new GenlFamily.Op(ops.size(), 0));
            }
        }
        return out;
    }
}
