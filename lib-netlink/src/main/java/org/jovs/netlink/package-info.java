/**
 * Netlink (RFC 3549) for the daemon: how it talks to the Linux kernel about devices, like OVS's
 * lib/netlink-socket.c, lib/netlink.c, lib/rtnetlink.c and the netlink parts of lib/netdev-linux.c.
 *
 * <p>Layers, bottom up:
 * <ul>
 * <li>Wire format, pure and kernel-free: {@link org.jovs.netlink.NlMsgBuilder} encodes a request;
 * {@link org.jovs.netlink.NlMsg}, {@link org.jovs.netlink.NlAttrs} and {@link org.jovs.netlink.NlAttr}
 * decode replies with every length checked, so malformed input raises
 * {@link org.jovs.netlink.NlParseException} and nothing else; {@link org.jovs.netlink.NlReply} turns
 * the replies to one request into data messages or a kernel errno.
 * <li>Execution: {@link org.jovs.netlink.NlExecutor} is the request-bytes-in, reply-bytes-out
 * contract for transactions, batches and dumps. {@link org.jovs.netlink.NlSocket} implements it on a
 * local socket (blocking-style, bounded by a timeout); the worker process can implement it later for
 * the calls the main loop must not make itself. The same socket class serves notification
 * listeners from the main loop ({@code receive()}/{@code waitFor()}, never blocking).
 * <li>Protocols, on any executor: {@link org.jovs.netlink.GenlFamilies} (nlctrl),
 * {@link org.jovs.netlink.Rtnetlink} (links, addresses, veth), {@link org.jovs.netlink.Ethtool}
 * (generic netlink "ethtool" plus the SIOCETHTOOL driver-info ioctl), and
 * {@link org.jovs.netlink.Tap} for /dev/net/tun.
 * <li>The netdev runner, {@link org.jovs.netlink.NetdevMonitor}: {@code run()}/{@code waitFor()} in
 * the main loop, a cache of link state fed by RTNLGRP_LINK, events for the bridge.
 * </ul>
 * Sockets, taps and ioctl sockets live in the network namespace of the thread that opened them;
 * {@link org.jovs.netlink.Netns} opens them inside a named namespace. Native calls are confined to
 * {@code org.jovs.netlink.natives}.
 */
package org.jovs.netlink;
