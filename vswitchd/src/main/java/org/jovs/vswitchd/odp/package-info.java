/**
 * Datapath (ODP) flow keys as text, and the packets they describe: what
 * {@code ovs-appctl netdev-dummy/receive PORT PACKET...} needs to turn its arguments into frames
 * exactly as OVS 3.1 does. {@link org.jovs.vswitchd.odp.DummyPacket} is the entry point; under it,
 * {@link org.jovs.vswitchd.odp.EthHex} reads a frame in hex, and a flow goes through
 * {@link org.jovs.vswitchd.odp.OdpFlowParser} (text to key attributes, odp_flow_from_string),
 * {@link org.jovs.vswitchd.odp.OdpFlowDecoder} (attributes to flow fields, odp_flow_key_to_flow)
 * and {@link org.jovs.vswitchd.odp.PacketComposer} (fields to frame, flow_compose and
 * packet_expand). {@link org.jovs.vswitchd.odp.OdpKeyFormatter} prints a key as OVS does.
 *
 * <p>Pure logic: no I/O, no state, no other jovs package; safe from any thread.
 */
package org.jovs.vswitchd.odp;
