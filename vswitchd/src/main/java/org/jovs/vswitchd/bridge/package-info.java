/**
 * Bridges, ports and interfaces on the userspace datapaths ("netdev", and "dummy" with
 * --enable-dummy), as OVS's bridge.c with ofproto and the netdev layer beneath:
 * {@link org.jovs.vswitchd.bridge.Switch} applies a configuration by difference and reports the
 * status the database shows; devices come from {@link org.jovs.vswitchd.netdev.Netdevs};
 * NetdevDatapath runs the packet path ({@link org.jovs.vswitchd.dpif}), whose frames each bridge
 * gives to its OpenFlow switch ({@link org.jovs.vswitchd.ofproto.Ofproto}).
 */
package org.jovs.vswitchd.bridge;
