/**
 * The packet path of the userspace datapath: frames read from the ports' devices (tap fds,
 * AF_PACKET sockets, netdev-dummy receive queues), their header fields extracted and handed to the bridge's
 * {@link org.jovs.vswitchd.flow.FrameHandler}, and frames sent back out through a bridge's
 * {@link org.jovs.vswitchd.dpif.PortSender}. Driven by the bridge layer's main-loop calls; never
 * blocks.
 */
package org.jovs.vswitchd.dpif;
