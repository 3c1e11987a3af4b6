/**
 * The netdev layer, as OVS's lib/netdev*.c: network devices for bridge ports, opened by class
 * through {@link org.jovs.vswitchd.netdev.Netdevs}. netdev-linux
 * ({@link org.jovs.vswitchd.netdev.LinuxNetdevs}) serves "system" and "tap" devices through
 * lib-netlink; netdev-dummy ({@link org.jovs.vswitchd.netdev.DummyNetdevs}), OVS's test device
 * with its netdev-dummy/* commands, pcap files and stream wires, serves "dummy",
 * "dummy-internal" and "dummy-pmd", and with --enable-dummy=system|override the classes it
 * overrides. Below the datapath: the datapath reads and writes frames through it.
 */
package org.jovs.vswitchd.netdev;
