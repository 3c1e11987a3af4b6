package org.jovs.vswitchd.ofproto;

import java.util.List;

/** A decoded OFPT_PACKET_OUT (any version): the frame, the port it comes from, the actions to run. */
record PacketOut(int inPort, List<FlowAction> actions, byte[] data) implements Modification {
}
