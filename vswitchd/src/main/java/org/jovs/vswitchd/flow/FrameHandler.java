package org.jovs.vswitchd.flow;

/** Takes a frame received on a port of a bridge; implemented by ofproto, called by the datapath. */
@FunctionalInterface
public interface FrameHandler {
    /**
     * Processes 'frame[0..len)', whose header fields (in_port included) are already in 'key'.
     * Both are only valid during the call.
     */
    void receive(FlowKey key, byte[] frame, int len);
}
