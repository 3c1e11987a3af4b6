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
 * local socket (blocking-style, bounded by a timeout). {@link org.jovs.netlink.NlWorkerExecutor} is
 * its asynchronous form for the main loop: the same byte arrays, carried to the worker process and
 * run there by {@link org.jovs.netlink.NlBatchHandler}, with a callback for the replies. The same
 * socket class serves notification listeners from the main loop ({@code receive()}/{@code waitFor()},
 * never blocking).
 * <li>Protocols, on any executor: {@link org.jovs.netlink.GenlFamilies} (nlctrl),
 * {@link org.jovs.netlink.Rtnetlink} (links, addresses, veth), {@link org.jovs.netlink.Ethtool}
 * (generic netlink "ethtool" plus the SIOCETHTOOL driver-info ioctl), and
 * {@link org.jovs.netlink.Tap} for /dev/net/tun.
 * <li>The netdev runner, {@link org.jovs.netlink.NetdevMonitor}: {@code run()}/{@code waitFor()} in
 * the main loop, a cache of link state fed by RTNLGRP_LINK, events for the bridge.
 * <li>System statistics, {@link org.jovs.netlink.SystemStats}: OVS's four-state machine in the main
 * loop, the gathering (/proc, statvfs, TASKSTATS) in the worker's
 * {@link org.jovs.netlink.SystemStatsHandler}.
 * </ul>
 *
 * <h2>What runs in the worker, and what stays in the main process</h2>
 * A netlink send is a system call in which the kernel runs the request to completion, and generic
 * netlink handlers may wait there on locks such as RTNL or a datapath mutex; the main loop must not
 * wait with them. So:
 * <ul>
 * <li><b>Through the worker</b> (handler ids in lib-worker's range for modules):
 * <ul>
 * <li>id {@value org.jovs.netlink.NlBatchHandler#ID}, {@link org.jovs.netlink.NlBatchHandler}:
 * every generic netlink transaction or dump that main-loop code issues while the worker runs, as
 * encoded requests through {@link org.jovs.netlink.NlWorkerExecutor} (datapath flow setup and
 * packet execution, family lookups after start-up, ethtool queries). Rtnetlink requests may take
 * the same path. Policy FAIL: a batch lost with a dead worker is reported, not repeated.
 * <li>id {@value org.jovs.netlink.SystemStatsHandler#ID}, {@link org.jovs.netlink.SystemStatsHandler}:
 * the system statistics, including their TASKSTATS requests. Policy REPLAY: gathering is
 * side-effect free.
 * </ul>
 * <li><b>In the main process</b>:
 * <ul>
 * <li>notification sockets ({@link org.jovs.netlink.NetdevMonitor}'s RTNLGRP_LINK listener): they only
 * receive, without blocking, from {@code run()}; the resync dump after ENOBUFS is a rtnetlink dump on
 * a socket of the main process;
 * <li>every request while no worker runs (before it starts, while it restarts, in tools and tests):
 * {@link org.jovs.netlink.NlWorkerExecutor} then runs batches on its own sockets, blocking, and the
 * synchronous typed layer ({@link org.jovs.netlink.GenlFamilies}, {@link org.jovs.netlink.Ethtool},
 * {@link org.jovs.netlink.Rtnetlink}) may be used directly;
 * <li>tap creation and the SIOCETHTOOL ioctl, which are not netlink.
 * </ul>
 * </ul>
 * The synchronous typed classes block by design; main-loop code that needs them while the worker
 * runs submits their requests ({@link org.jovs.netlink.GenlFamilies#lookupRequest},
 * {@link org.jovs.netlink.Rtnetlink#linkDumpRequest}, ...) through the executor and decodes the
 * replies with the same parsers ({@link org.jovs.netlink.GenlFamilies#lookupResult},
 * {@link org.jovs.netlink.GenlFamily#parse}, {@link org.jovs.netlink.RtLink#parse}).
 * Sockets, taps and ioctl sockets live in the network namespace of the thread that opened them;
 * {@link org.jovs.netlink.Netns} opens them inside a named namespace. Native calls are confined to
 * {@code org.jovs.netlink.natives}.
 */
package org.jovs.netlink;
