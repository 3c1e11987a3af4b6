package org.jovs.vswitchd.flow;

/** Sends frames out of a bridge's ports; implemented by the datapath, called by ofproto's actions. */
@FunctionalInterface
public interface FrameSender {
    /**
     * Sends 'frame[0..len)' out of OpenFlow port 'ofport' (OFPP_LOCAL included), without
     * blocking: a frame for a port that is gone, down, or whose device cannot take it now is
     * dropped and counted.
     */
    void send(int ofport, byte[] frame, int len);
}
