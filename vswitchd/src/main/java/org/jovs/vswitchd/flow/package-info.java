/**
 * What the packet path and OpenFlow share, and nothing else: the header fields of one packet
 * ({@link org.jovs.vswitchd.flow.FlowKey}, filled by the datapath, matched by ofproto's flow
 * table) and the three hand-offs between them. The datapath reads a frame from a port and gives
 * it to the bridge's {@link org.jovs.vswitchd.flow.FrameHandler} (ofproto's table lookup);
 * executed actions send frames through {@link org.jovs.vswitchd.flow.FrameSender}, and the
 * NORMAL action is {@link org.jovs.vswitchd.flow.NormalForwarding} (MAC learning).
 *
 * <p>Everything here runs on the main thread. A frame is a byte array and a length; the callee
 * may rewrite it in place and must copy what it keeps beyond the call.
 */
package org.jovs.vswitchd.flow;
