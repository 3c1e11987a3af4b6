/**
 * Bridges, ports and interfaces on the userspace ("netdev") datapath, as OVS's bridge.c with
 * ofproto and netdev-linux beneath: {@link org.jovs.vswitchd.bridge.Switch} applies a
 * configuration by difference and reports the status the database shows;
 * {@link org.jovs.vswitchd.bridge.Netdevs} opens devices through lib-netlink and follows their
 * state; NetdevDatapath runs the packet path ({@link org.jovs.vswitchd.dpif}), whose frames
 * each bridge gives to NORMAL switching until OpenFlow exists. No OpenFlow connections are made;
 * controllers are recorded.
 */
package org.jovs.vswitchd.bridge;
