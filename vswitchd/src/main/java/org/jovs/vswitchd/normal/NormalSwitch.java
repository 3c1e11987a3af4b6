package org.jovs.vswitchd.normal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

import org.jovs.core.RateLimit;
import org.jovs.vswitchd.flow.FlowExtractor;
import org.jovs.vswitchd.flow.FlowKey;
import org.jovs.vswitchd.flow.FrameSender;
import org.jovs.vswitchd.flow.NormalForwarding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The NORMAL action of one bridge: a learning L2 switch with access and trunk ports, as OVS's
 * xlate_normal(). A frame's VLAN is its tag's VID on a trunk port (0 if untagged) and the port's
 * tag on an access port; a tagged frame on an access port, or a VLAN a trunk does not carry, is
 * dropped. Frames to the reserved multicast range 01:80:c2:00:00:0x are dropped (OVS without
 * other_config:forward-bpdu). The source is learned; a known unicast destination goes to its
 * port (unless that is the input port), anything else is flooded to every other port that carries
 * the VLAN and can transmit. On output the frame is tagged for a trunk (VLAN 0 goes untagged) and
 * untagged for an access port.
 *
 * <p>Called by the bridge's frame handler on the main thread. Allocation-free per frame: a frame
 * whose tag changes is rebuilt in one reusable buffer. Bonds are not supported: a port with more
 * than one interface receives on all of them and sends on the first.
 */
public final class NormalSwitch implements NormalForwarding {
    private static final Logger LOG = LoggerFactory.getLogger("ofproto_dpif_xlate");
    private static final RateLimit ERROR_RL = new RateLimit(1, 5);

    /**
     * A bridge port as NORMAL sees it.
     *
     * @param ofports its interfaces' OpenFlow port numbers; the first one sends and names it in
     *     the MAC table
     * @param tag the access VLAN, or -1 for a trunk port
     * @param trunks the VLANs a trunk port carries, null for all
     */
    public record Port(String name, int[] ofports, int tag, BitSet trunks) {
        public Port {
            Objects.requireNonNull(name);
            if (ofports.length == 0) {
                throw new IllegalArgumentException("a port needs an interface");
            }
        }

        int ofport() {
            return ofports[0];
        }

        /** True if the port may receive VID 'vid' (0: untagged). */
        boolean acceptsVid(int vid) {
            return tag >= 0 ? vid == 0 : carries(vid);
        }

        /** True if the port carries frames of VLAN 'vlan'. */
        boolean includes(int vlan) {
            return tag >= 0 ? vlan == tag : carries(vlan);
        }

        private boolean carries(int vlan) {
            return trunks == null || trunks.get(vlan);
        }

        boolean sameVlans(Port o) {
            return tag == o.tag && Objects.equals(trunks, o.trunks);
        }
    }

    private final String bridge;
    private final MacLearningTable table;
    private final FrameSender sender;
    private final IntPredicate canTransmit;
    private final LongSupplier clockMs;
    private Port[] ports = new Port[0];
    /** Every interface's OpenFlow port number, sorted, and the port it belongs to. */
    private int[] inOfports = new int[0];
    private Port[] inPorts = new Port[0];
    private byte[] scratch = new byte[65536 + 4];

    /**
     * A NORMAL switch for bridge 'bridge' that learns in 'table' and sends through 'sender' to the
     * ports 'canTransmit' accepts (up, with a device), on the clock 'clockMs'.
     */
    public NormalSwitch(String bridge, MacLearningTable table, FrameSender sender, IntPredicate canTransmit,
            LongSupplier clockMs) {
        this.bridge = bridge;
        this.table = table;
        this.sender = sender;
        this.canTransmit = canTransmit;
        this.clockMs = clockMs;
    }

    public MacLearningTable table() {
        return table;
    }

    /**
     * Sets the bridge's ports, in flooding order. The learned entries of a port that went away or
     * whose VLAN configuration changed are forgotten, as OVS's bundle reconfiguration does.
     */
    public void setPorts(List<Port> newPorts) {
        Map<Integer, Port> byOfport = new HashMap<>();
        for (Port p : newPorts) {
            byOfport.put(p.ofport(), p);
        }
        for (Port old : ports) {
            Port now = byOfport.get(old.ofport());
            if (now == null || !now.sameVlans(old)) {
                table.flushPort(old.ofport());
            }
        }
        ports = newPorts.toArray(new Port[0]);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            for (int ofport : ports[i].ofports()) {
                pairs.add(new int[] {ofport, i});
            }
        }
        pairs.sort((a, b) -> Integer.compare(a[0], b[0]));
        inOfports = new int[pairs.size()];
        inPorts = new Port[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            inOfports[i] = pairs.get(i)[0];
            inPorts[i] = ports[pairs.get(i)[1]];
        }
    }

    private Port portOf(int ofport) {
        int i = Arrays.binarySearch(inOfports, ofport);
        return i < 0 ? null : inPorts[i];
    }

    @Override
    public void forward(FlowKey key, byte[] frame, int len) {
        Port in = portOf(key.inPort);
        if (in == null) {
            return;
        }
        boolean tagged = (key.vlanTci & FlowKey.VLAN_CFI) != 0;
        if (!tagged && (key.dlType == FlowExtractor.ETH_TYPE_VLAN_8021Q
                || key.dlType == FlowExtractor.ETH_TYPE_VLAN_8021AD)) {
            reportError(key, "dropping packet with partial VLAN tag received on port %s", in.name());
            return;
        }
        int vid = tagged ? key.vlanTci & 0x0fff : 0;
        if (!in.acceptsVid(vid)) {
            if (in.tag() >= 0) {
                reportError(key, "dropping VLAN %d tagged packet received on port %s configured as VLAN %d access port",
                        vid, in.name(), in.tag());
            } else {
                reportError(key, "dropping VLAN %d packet received on port %s not configured for trunking VLAN %d",
                        vid, in.name(), vid);
            }
            return;
        }
        int vlan = in.tag() >= 0 ? in.tag() : vid;
        if ((key.dlDst & 0xfffffffffff0L) == 0x0180c2000000L) {
            return;
        }
        if (table.learn(key.dlSrc, vlan, in.ofport(), clockMs.getAsLong()) && LOG.isDebugEnabled()) {
            LOG.debug("bridge {}: learned that {} is on port {} in VLAN {}", bridge, macString(key.dlSrc),
                    in.name(), vlan);
        }
        if ((key.dlDst & 0x010000000000L) == 0) {
            int learned = table.lookup(key.dlDst, vlan);
            if (learned != MacLearningTable.NO_PORT) {
                Port out = portOf(learned);
                if (out != null && out != in) {
                    output(out, vlan, key, frame, len);
                }
                return;
            }
        }
        for (Port out : ports) {
            if (out != in && out.includes(vlan)) {
                output(out, vlan, key, frame, len);
            }
        }
    }

    /** Sends the frame out of 'out' in VLAN 'vlan': tagged on a trunk (but not for VLAN 0), untagged on an access port. */
    private void output(Port out, int vlan, FlowKey key, byte[] frame, int len) {
        int ofport = out.ofport();
        if (!canTransmit.test(ofport)) {
            return;
        }
        boolean tagged = (key.vlanTci & FlowKey.VLAN_CFI) != 0;
        int outVid = out.tag() >= 0 ? 0 : vlan;
        if (outVid == 0) {
            if (!tagged) {
                sender.send(ofport, frame, len);
            } else if (len >= 16) {
                byte[] s = scratch(len);
                System.arraycopy(frame, 0, s, 0, 12);
                System.arraycopy(frame, 16, s, 12, len - 16);
                sender.send(ofport, s, len - 4);
            }
            return;
        }
        int tci = (key.vlanTci & 0xe000) | outVid;
        if (tagged) {
            if ((key.vlanTci & 0xefff) == tci) {
                sender.send(ofport, frame, len);
                return;
            }
            byte[] s = scratch(len);
            System.arraycopy(frame, 0, s, 0, len);
            s[14] = (byte) (tci >> 8);
            s[15] = (byte) tci;
            sender.send(ofport, s, len);
        } else if (len >= 12) {
            byte[] s = scratch(len + 4);
            System.arraycopy(frame, 0, s, 0, 12);
            s[12] = (byte) (FlowExtractor.ETH_TYPE_VLAN_8021Q >> 8);
            s[13] = (byte) FlowExtractor.ETH_TYPE_VLAN_8021Q;
            s[14] = (byte) (tci >> 8);
            s[15] = (byte) tci;
            System.arraycopy(frame, 12, s, 16, len - 12);
            sender.send(ofport, s, len + 4);
        }
    }

    private byte[] scratch(int len) {
        if (scratch.length < len) {
            scratch = new byte[len];
        }
        return scratch;
    }

    private void reportError(FlowKey key, String format, Object... args) {
        if (ERROR_RL.admit(LOG, Level.WARN)) {
            LOG.warn("{} on bridge {} while processing {}", String.format(format, args), bridge, key);
        }
    }

    /** An address as OVS prints it: xx:xx:xx:xx:xx:xx. */
    public static String macString(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (mac >>> (i * 8)) & 0xff));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
