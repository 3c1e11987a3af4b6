package org.jovs.vswitchd.dpif;

import java.util.Arrays;

import org.jovs.vswitchd.flow.FrameSender;

/**
 * One bridge's {@link FrameSender}: its OpenFlow port numbers mapped to the datapath's ports.
 * Kept current by the bridge as ports come and go; a frame for a number without a port is
 * dropped. Lookups index an array (OFPP_LOCAL has its own slot), so sending allocates nothing.
 * Main thread only.
 */
public final class PortSender implements FrameSender {
    /** OpenFlow's OFPP_LOCAL: the bridge's own port. */
    public static final int OFPP_LOCAL = 65534;

    private final NetdevPorts datapath;
    private PacketPort[] byOfport = new PacketPort[16];
    private PacketPort local;

    public PortSender(NetdevPorts datapath) {
        this.datapath = datapath;
    }

    /** Maps 'ofport' to 'p', or unmaps it with null. */
    public void put(int ofport, PacketPort p) {
        if (ofport == OFPP_LOCAL) {
            local = p;
            return;
        }
        if (ofport < 0) {
            return;
        }
        if (ofport >= byOfport.length) {
            byOfport = Arrays.copyOf(byOfport, Math.max(ofport + 1, byOfport.length * 2));
        }
        byOfport[ofport] = p;
    }

    private PacketPort get(int ofport) {
        if (ofport == OFPP_LOCAL) {
            return local;
        }
        return ofport >= 0 && ofport < byOfport.length ? byOfport[ofport] : null;
    }

    /** True if 'ofport' is a port whose device can transmit now (up, with a carrier). */
    public boolean canTransmit(int ofport) {
        PacketPort p = get(ofport);
        return p != null && p.canTransmit();
    }

    @Override
    public void send(int ofport, byte[] frame, int len) {
        PacketPort p = get(ofport);
        if (p != null) {
            datapath.send(p, frame, len);
        }
    }
}
