package org.jovs.vswitchd.ofproto;

/**
 * A decoded port modification (OFPT_PORT_MOD, any version): the port, the Ethernet address it
 * must have (OVS's check that the controller means this port), and the administrative state to
 * set, or null to leave it.
 */
record PortMod(int port, long hwAddr, Boolean up) implements Modification {
}
