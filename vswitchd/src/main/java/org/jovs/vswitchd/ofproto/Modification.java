package org.jovs.vswitchd.ofproto;

/**
 * A decoded request that changes the switch: what OVS lets an OpenFlow bundle hold besides
 * group mods (which this switch does not have). Values.
 */
sealed interface Modification permits FlowMod, PortMod, PacketOut {
}
