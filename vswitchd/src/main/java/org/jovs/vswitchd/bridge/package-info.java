/**
 * Bridges, ports and interfaces on the userspace ("netdev") datapath, as OVS's bridge.c with
 * ofproto and netdev-linux beneath: {@link org.jovs.vswitchd.bridge.Switch} applies a
 * configuration by difference and reports the status the database shows;
 * {@link org.jovs.vswitchd.bridge.Netdevs} opens devices through lib-netlink and follows their
 * state. No packets are forwarded yet and no OpenFlow connections are made; controllers are
 * recorded.
 */
package org.jovs.vswitchd.bridge;
