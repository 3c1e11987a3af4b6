package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jovs.netlink.EthtoolFeatures.Feature;
import org.junit.jupiter.api.Test;

/** The ethtool -k rendering rules on hand-made feature sets (EthtoolTest checks real devices). */
class EthtoolFeaturesTest {
    @Test
    void legacyFlagsGroupTheirFeatures() {
        EthtoolFeatures f = new EthtoolFeatures(List.of(
                new Feature("tx-scatter-gather", true, true, false),
                new Feature("tx-checksum-ipv4", false, false, true),
                new Feature("tx-checksum-ip-generic", false, true, false),
                new Feature("highdma", true, true, true),
                new Feature("rx-gro", false, true, false),
                new Feature("tx-scatter-gather-fraglist", false, false, false),
                new Feature("rx-checksum", true, true, false)));
        assertEquals(List.of(
                "rx-checksumming: on",
                "tx-checksumming: off",
                "\ttx-checksum-ipv4: off [fixed]",
                "\ttx-checksum-ip-generic: off [requested on]",
                "scatter-gather: on",
                "\ttx-scatter-gather: on",
                "\ttx-scatter-gather-fraglist: off",
                "tcp-segmentation-offload: off",
                "generic-segmentation-offload: off",
                "generic-receive-offload: off [requested on]",
                "large-receive-offload: off",
                "rx-vlan-offload: off",
                "tx-vlan-offload: off",
                "ntuple-filters: off",
                "receive-hashing: off",
                "highdma: on [fixed]"), f.listing());
    }

    @Test
    void patternsHaveOneWildcard() {
        assertTrue(EthtoolFeatures.matches("tx-tcp6-segmentation", "tx-tcp*-segmentation"));
        assertTrue(EthtoolFeatures.matches("tx-tcp-segmentation", "tx-tcp*-segmentation"));
        assertFalse(EthtoolFeatures.matches("tx-tcp-segmentatio", "tx-tcp*-segmentation"));
        assertTrue(EthtoolFeatures.matches("tx-scatter-gather", "tx-scatter-gather*"));
        assertFalse(EthtoolFeatures.matches("rx-gro-hw", "rx-gro"));
    }
}
