package org.jovs.netlink;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.netlink.natives.NlNative;

/**
 * Device settings through the "ethtool" generic netlink family (link modes and speed, offload
 * features), as {@code ethtool DEV} and {@code ethtool -k DEV} show them, plus driver information.
 *
 * <p>The genl ethtool API has no driver-info request (kernel 6.18 included), so
 * {@link #driverInfo} uses the SIOCETHTOOL ioctl with ETHTOOL_GDRVINFO on an AF_INET datagram
 * socket, as {@code ethtool -i} does. That socket is opened by the constructor, in the calling
 * thread's network namespace, which is the namespace whose devices the ioctl sees; the genl
 * requests run on the given executor, whose socket determines theirs. All calls block as long as a
 * transaction does. The owner closes the object, which closes the ioctl socket.
 */
public final class Ethtool implements Closeable {
    private static final int ETHTOOL_MSG_STRSET_GET = 1;
    private static final int ETHTOOL_MSG_LINKMODES_GET = 4;
    private static final int ETHTOOL_MSG_FEATURES_GET = 11;

    private static final int ETHTOOL_A_HEADER_DEV_NAME = 2;
    private static final int ETHTOOL_A_HEADER_FLAGS = 3;
    private static final int ETHTOOL_FLAG_COMPACT_BITSETS = 1;
    /** Every request and reply of the family starts with the header nest as attribute 1. */
    private static final int ETHTOOL_A_HEADER = 1;

    private static final int ETHTOOL_A_BITSET_NOMASK = 1;
    private static final int ETHTOOL_A_BITSET_SIZE = 2;
    private static final int ETHTOOL_A_BITSET_BITS = 3;
    private static final int ETHTOOL_A_BITSET_VALUE = 4;
    private static final int ETHTOOL_A_BITSET_MASK = 5;
    private static final int ETHTOOL_A_BITSET_BIT_INDEX = 1;
    private static final int ETHTOOL_A_BITSET_BIT_NAME = 2;
    private static final int ETHTOOL_A_BITSET_BIT_VALUE = 3;

    private static final int ETHTOOL_A_STRSET_STRINGSETS = 2;
    private static final int ETHTOOL_A_STRINGSETS_STRINGSET = 1;
    private static final int ETHTOOL_A_STRINGSET_ID = 1;
    private static final int ETHTOOL_A_STRINGSET_STRINGS = 3;
    private static final int ETHTOOL_A_STRING_INDEX = 1;
    private static final int ETHTOOL_A_STRING_VALUE = 2;
    private static final int ETH_SS_FEATURES = 4;

    private static final int ETHTOOL_A_LINKMODES_AUTONEG = 2;
    private static final int ETHTOOL_A_LINKMODES_OURS = 3;
    private static final int ETHTOOL_A_LINKMODES_SPEED = 5;
    private static final int ETHTOOL_A_LINKMODES_DUPLEX = 6;

    private static final int ETHTOOL_A_FEATURES_HW = 2;
    private static final int ETHTOOL_A_FEATURES_WANTED = 3;
    private static final int ETHTOOL_A_FEATURES_ACTIVE = 4;
    private static final int ETHTOOL_A_FEATURES_NOCHANGE = 5;

    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GDRVINFO = 0x3;
    /** struct ethtool_drvinfo: cmd, five 32-byte strings, 12 reserved bytes, five u32 counts. */
    private static final int DRVINFO_SIZE = 196;
    private static final int DRVINFO_COUNTS = 4 + 5 * 32 + 12;

    /** What {@code ethtool -i} shows. */
    public record DriverInfo(String driver, String version, String firmwareVersion, String expansionRomVersion,
            String busInfo, boolean supportsStatistics, boolean supportsTest, boolean supportsEepromAccess,
            boolean supportsRegisterDump, boolean supportsPrivFlags) {
    }

    /**
     * Link settings: speed in Mb/s (-1 unknown), duplex (0 half, 1 full, 255 unknown), autonegotiation,
     * and the supported and advertised link mode names (e.g. "1000baseT/Full"; empty for virtual devices).
     */
    public record LinkModes(int speed, int duplex, boolean autoneg, List<String> supported, List<String> advertised) {
    }

    private final NlExecutor genl;
    private final GenlFamilies families;
    private final int ioctlFd;
    private List<String> featureNames;

    /** Opens the ioctl socket in the calling thread's namespace; 'genl' and 'families' are shared. */
    public Ethtool(NlExecutor genl, GenlFamilies families) throws NativeException {
        this.genl = genl;
        this.families = families;
        this.ioctlFd = (int) Native.check(NlNative.libc().socket(NlNative.AF_INET,
                NlNative.SOCK_DGRAM | NlNative.SOCK_CLOEXEC, 0), "socket(AF_INET)");
    }

    /** Driver name, version and capabilities of 'dev' (ETHTOOL_GDRVINFO). */
    public DriverInfo driverInfo(String dev) throws NativeException {
        ByteBuffer info = Native.struct(DRVINFO_SIZE);
        info.putInt(0, ETHTOOL_GDRVINFO);
        ByteBuffer ifr = NlNative.ifreq(dev);
        ifr.putLong(NlNative.IFNAMSIZ, Native.address(info));
        Native.check(NlNative.libc().ioctl(ioctlFd, SIOCETHTOOL, ifr), "ioctl(SIOCETHTOOL, " + dev + ")");
        int c = DRVINFO_COUNTS;
        return new DriverInfo(cString(info, 4), cString(info, 36), cString(info, 68), cString(info, 132),
                cString(info, 100), info.getInt(c + 4) > 0, info.getInt(c + 8) > 0, info.getInt(c + 12) > 0,
                info.getInt(c + 16) > 0, info.getInt(c) > 0);
    }

    /** Speed, duplex, autonegotiation and link modes of 'dev' (ETHTOOL_MSG_LINKMODES_GET). */
    public LinkModes linkModes(String dev) throws IOException {
        return parseLinkModes(get(ETHTOOL_MSG_LINKMODES_GET, dev, 0));
    }

    /** Offload features of 'dev' (ETHTOOL_MSG_FEATURES_GET), named as in the kernel's feature string set. */
    public EthtoolFeatures features(String dev) throws IOException {
        List<String> names = featureNames();
        return parseFeatures(get(ETHTOOL_MSG_FEATURES_GET, dev, ETHTOOL_FLAG_COMPACT_BITSETS), names);
    }

    /** Decodes a LINKMODES_GET reply with verbose bitsets (which carry the link mode names). */
    static LinkModes parseLinkModes(NlMsg reply) throws NlParseException {
        NlAttrs a = reply.genlAttrs(0);
        List<String> supported = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        NlAttrs ours = a.optNested(ETHTOOL_A_LINKMODES_OURS);
        NlAttrs bits = ours == null ? null : ours.optNested(ETHTOOL_A_BITSET_BITS);
        if (bits != null) {
            boolean noMask = ours.flag(ETHTOOL_A_BITSET_NOMASK);
            for (NlAttr bit : bits) {
                NlAttrs b = bit.nested();
                String name = b.string(ETHTOOL_A_BITSET_BIT_NAME);
                supported.add(name);
                if (noMask || b.flag(ETHTOOL_A_BITSET_BIT_VALUE)) {
                    advertised.add(name);
                }
            }
        }
        return new LinkModes(a.u32(ETHTOOL_A_LINKMODES_SPEED, -1), a.u8(ETHTOOL_A_LINKMODES_DUPLEX, 255),
                a.u8(ETHTOOL_A_LINKMODES_AUTONEG, 0) != 0, List.copyOf(supported), List.copyOf(advertised));
    }

    /** Decodes a FEATURES_GET reply with compact bitsets, naming bit i 'names[i]'. */
    static EthtoolFeatures parseFeatures(NlMsg reply, List<String> names) throws NlParseException {
        NlAttrs a = reply.genlAttrs(0);
        int[] hw = compactBitset(a.nested(ETHTOOL_A_FEATURES_HW));
        int[] wanted = compactBitset(a.nested(ETHTOOL_A_FEATURES_WANTED));
        int[] active = compactBitset(a.nested(ETHTOOL_A_FEATURES_ACTIVE));
        int[] nochange = compactBitset(a.nested(ETHTOOL_A_FEATURES_NOCHANGE));
        List<EthtoolFeatures.Feature> features = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) {
                continue;
            }
            features.add(new EthtoolFeatures.Feature(names.get(i), bit(active, i), bit(wanted, i),
                    !bit(hw, i) || bit(nochange, i)));
        }
        return new EthtoolFeatures(features);
    }

    /** The kernel's feature names by bit (the global ETH_SS_FEATURES string set), fetched once. */
    private List<String> featureNames() throws IOException {
        if (featureNames == null) {
            // A global string set: the request header names no device, but must be there.
            NlMsgBuilder req = family().request(0, ETHTOOL_MSG_STRSET_GET);
            req.endNested(req.startNested(ETHTOOL_A_HEADER));
            int sets = req.startNested(ETHTOOL_A_STRSET_STRINGSETS);
            int set = req.startNested(ETHTOOL_A_STRINGSETS_STRINGSET);
            req.putU32(ETHTOOL_A_STRINGSET_ID, ETH_SS_FEATURES).endNested(set).endNested(sets);
            featureNames = parseStringSet(single(genl.transact(req)), ETH_SS_FEATURES);
        }
        return featureNames;
    }

    /** The strings of set 'id' in a STRSET_GET reply, indexed by ETHTOOL_A_STRING_INDEX. */
    static List<String> parseStringSet(NlMsg reply, int id) throws NlParseException {
        for (NlAttr set : reply.genlAttrs(0).nested(ETHTOOL_A_STRSET_STRINGSETS)) {
            NlAttrs s = set.nested();
            if (s.u32(ETHTOOL_A_STRINGSET_ID) != id) {
                continue;
            }
            Map<Integer, String> byIndex = new HashMap<>();
            int max = -1;
            NlAttrs strings = s.optNested(ETHTOOL_A_STRINGSET_STRINGS);
            for (NlAttr str : strings == null ? List.<NlAttr>of() : strings) {
                NlAttrs st = str.nested();
                int index = st.u32(ETHTOOL_A_STRING_INDEX);
                if (index < 0 || index > 0xffff) {
                    throw new NlParseException("string set index " + index + " out of range");
                }
                byIndex.put(index, st.string(ETHTOOL_A_STRING_VALUE));
                max = Math.max(max, index);
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i <= max; i++) {
                names.add(byIndex.getOrDefault(i, ""));
            }
            return List.copyOf(names);
        }
        throw new NlParseException("string set " + id + " missing from the reply");
    }

    /** The value words of a compact bitset (ETHTOOL_A_BITSET_VALUE), checked against its size. */
    static int[] compactBitset(NlAttrs bitset) throws NlParseException {
        int size = bitset.u32(ETHTOOL_A_BITSET_SIZE);
        NlAttr value = bitset.get(ETHTOOL_A_BITSET_VALUE);
        int words = (int) ((Integer.toUnsignedLong(size) + 31) / 32);
        int len = value == null ? 0 : value.length();
        if (len != words * 4L) {
            throw new NlParseException("bitset of " + Integer.toUnsignedString(size) + " bits has a " + len
                    + "-byte value");
        }
        ByteBuffer b = ByteBuffer.wrap(value == null ? new byte[0] : value.bytes()).order(ByteOrder.nativeOrder());
        int[] w = new int[words];
        for (int i = 0; i < words; i++) {
            w[i] = b.getInt(i * 4);
        }
        return w;
    }

    private static boolean bit(int[] words, int i) {
        return i / 32 < words.length && (words[i / 32] & (1 << (i % 32))) != 0;
    }

    /** Sends a GET 'cmd' for 'dev' and returns its single reply. */
    private NlMsg get(int cmd, String dev, int headerFlags) throws IOException {
        NlMsgBuilder req = family().request(0, cmd);
        int h = req.startNested(ETHTOOL_A_HEADER);
        req.putString(ETHTOOL_A_HEADER_DEV_NAME, dev);
        if (headerFlags != 0) {
            req.putU32(ETHTOOL_A_HEADER_FLAGS, headerFlags);
        }
        req.endNested(h);
        return single(genl.transact(req));
    }

    private GenlFamily family() throws IOException {
        return families.lookup("ethtool")
                .orElseThrow(() -> new NlKernelException(NlNative.EOPNOTSUPP, "no ethtool generic netlink family"));
    }

    private static NlMsg single(List<NlMsg> msgs) throws NlParseException {
        if (msgs.size() != 1) {
            throw new NlParseException("ethtool sent " + msgs.size() + " replies, expected one");
        }
        return msgs.get(0);
    }

    private static String cString(ByteBuffer b, int off) {
        int n = 0;
        while (n < 32 && b.get(off + n) != 0) {
            n++;
        }
        byte[] s = new byte[n];
        b.get(off, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** Closes the ioctl socket. */
    @Override
    public void close() {
        Native.closeQuietly(ioctlFd);
    }
}
