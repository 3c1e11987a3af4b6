package org.jovs.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * A device's offload features (ETHTOOL_MSG_FEATURES_GET): for each kernel feature name, whether it
 * is active, wanted, changeable (in the "hw" set) and locked (in "nochange").
 *
 * <p>{@link #listing()} renders them the way {@code ethtool -k} prints them: first the legacy
 * flags (rx-checksumming, tx-checksumming, scatter-gather, ...), each with the kernel features it
 * stands for indented below it, or under the legacy name alone when it stands for exactly one; then
 * every other feature by its kernel name. Pure logic, no kernel.
 */
public final class EthtoolFeatures {
    /** One kernel feature; 'fixed' means not changeable or locked, as ethtool marks "[fixed]". */
    public record Feature(String name, boolean active, boolean wanted, boolean fixed) {
        String state() {
            String suffix = "";
            if (fixed) {
                suffix = " [fixed]";
            } else if (active != wanted) {
                suffix = wanted ? " [requested on]" : " [requested off]";
            }
            return (active ? "on" : "off") + suffix;
        }
    }

    /** ethtool's legacy offload flags: long name and the kernel feature names it covers. */
    private record Legacy(String longName, String pattern) {
    }

    // "udp-fragmentation-offload" is left out, as ethtool does: no netlink kernel has UFO.
    private static final List<Legacy> LEGACY = List.of(
            new Legacy("rx-checksumming", "rx-checksum"),
            new Legacy("tx-checksumming", "tx-checksum-*"),
            new Legacy("scatter-gather", "tx-scatter-gather*"),
            new Legacy("tcp-segmentation-offload", "tx-tcp*-segmentation"),
            new Legacy("generic-segmentation-offload", "tx-generic-segmentation"),
            new Legacy("generic-receive-offload", "rx-gro"),
            new Legacy("large-receive-offload", "rx-lro"),
            new Legacy("rx-vlan-offload", "rx-vlan-hw-parse"),
            new Legacy("tx-vlan-offload", "tx-vlan-hw-insert"),
            new Legacy("ntuple-filters", "rx-ntuple-filter"),
            new Legacy("receive-hashing", "rx-hashing"));

    private final List<Feature> features;

    public EthtoolFeatures(List<Feature> features) {
        this.features = List.copyOf(features);
    }

    /** Every named feature, in the kernel's bit order. */
    public List<Feature> all() {
        return features;
    }

    /** The feature called 'name' (a kernel name such as "rx-gro"), or null. */
    public Feature get(String name) {
        for (Feature f : features) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The lines of {@code ethtool -k} after its "Features for DEV:" header. */
    public List<String> listing() {
        int[] legacyOf = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            legacyOf[i] = -1;
            for (int j = 0; j < LEGACY.size(); j++) {
                if (matches(features.get(i).name(), LEGACY.get(j).pattern())) {
                    legacyOf[i] = j;
                    break;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (int j = 0; j < LEGACY.size(); j++) {
            List<Feature> members = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) {
                if (legacyOf[i] == j) {
                    members.add(features.get(i));
                }
            }
            String longName = LEGACY.get(j).longName();
            if (members.size() == 1) {
                lines.add(longName + ": " + members.get(0).state());
                continue;
            }
            boolean anyOn = members.stream().anyMatch(Feature::active);
            lines.add(longName + ": " + (anyOn ? "on" : "off"));
            for (Feature f : members) {
                lines.add("\t" + f.name() + ": " + f.state());
            }
        }
        for (int i = 0; i < features.size(); i++) {
            if (legacyOf[i] < 0) {
                lines.add(features.get(i).name() + ": " + features.get(i).state());
            }
        }
        return lines;
    }

    /** ethtool's pattern match: at most one '*', matching any run of characters. */
    static boolean matches(String name, String pattern) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return name.equals(pattern);
        }
        String head = pattern.substring(0, star);
        String tail = pattern.substring(star + 1);
        return name.length() >= head.length() + tail.length() && name.startsWith(head) && name.endsWith(tail);
    }
}
