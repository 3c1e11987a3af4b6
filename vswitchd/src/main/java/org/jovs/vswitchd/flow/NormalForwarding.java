package org.jovs.vswitchd.flow;

/**
 * The NORMAL action: a traditional L2 switch with MAC learning and VLANs, as OVS's
 * xlate_normal(); implemented by the bridge's MAC learning table, called by ofproto.
 */
@FunctionalInterface
public interface NormalForwarding {
    /** Learns from and forwards 'frame[0..len)', whose header fields are in 'key'. */
    void forward(FlowKey key, byte[] frame, int len);
}
