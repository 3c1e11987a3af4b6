package org.jovs.netlink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jovs.netlink.natives.NlNative;

/**
 * rtnetlink requests about links and addresses: dumps and lookups, veth creation, deletion, and
 * the changes OVS's netdev-linux makes (up/down, MTU, MAC, name).
 *
 * <p>Every call is one transaction or dump on the NETLINK_ROUTE {@link NlExecutor} it was given and
 * blocks as long as that does. Links are addressed by ifindex; {@link #getLink(String)} finds it.
 * A kernel refusal raises {@link NlKernelException} with the errno (EEXIST, ENODEV, EINVAL, ...).
 */
public final class Rtnetlink {
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    /** The multicast group of link notifications. */
    public static final int RTNLGRP_LINK = 1;

    private static final int AF_UNSPEC = 0;
    private static final int VETH_INFO_PEER = 1;

    private final NlExecutor rtnl;

    public Rtnetlink(NlExecutor rtnl) {
        if (rtnl.protocol() != Netlink.NETLINK_ROUTE) {
            throw new IllegalArgumentException("Rtnetlink needs a NETLINK_ROUTE executor");
        }
        this.rtnl = rtnl;
    }

    /** Every link in the executor's network namespace, in ifindex order. */
    public List<RtLink> dumpLinks() throws IOException {
        return rtnl.dump(linkDumpRequest(), m -> m.type() == RTM_NEWLINK ? RtLink.parse(m) : null);
    }

    /** The request that {@link #dumpLinks()} dumps, for running it elsewhere (a worker). */
    public static NlMsgBuilder linkDumpRequest() {
        return linkRequest(RTM_GETLINK, 0, 0, 0, 0);
    }

    /** The link called 'name', or empty if there is none. */
    public Optional<RtLink> getLink(String name) throws IOException {
        return getLink(linkRequest(RTM_GETLINK, 0, 0, 0, 0).putString(RtLink.IFLA_IFNAME, name));
    }

    /** The link with 'ifindex', or empty if there is none. */
    public Optional<RtLink> getLink(int ifindex) throws IOException {
        return getLink(linkRequest(RTM_GETLINK, 0, ifindex, 0, 0));
    }

    private Optional<RtLink> getLink(NlMsgBuilder req) throws IOException {
        NlReply reply = NlReply.decode(rtnl.execute(List.of(req.toBytes())).get(0));
        if (reply.errno() == NlNative.ENODEV) {
            return Optional.empty();
        }
        for (NlMsg m : reply.check()) {
            if (m.type() == RTM_NEWLINK) {
                return Optional.of(RtLink.parse(m));
            }
        }
        throw new NlParseException("RTM_GETLINK answered without a link");
    }

    /** Creates the veth pair 'name' and 'peer', both in this namespace. */
    public void createVeth(String name, String peer) throws IOException {
        createVeth(name, peer, -1);
    }

    /**
     * Creates the veth pair 'name' and 'peer'; if 'peerNetnsFd' is not negative, the peer goes into
     * the network namespace that fd refers to (e.g. an open /var/run/netns/NAME).
     */
    public void createVeth(String name, String peer, int peerNetnsFd) throws IOException {
        rtnl.transact(vethRequest(name, peer, peerNetnsFd));
    }

    /** The RTM_NEWLINK request that {@link #createVeth(String, String, int)} sends, for batching. */
    public static NlMsgBuilder vethRequest(String name, String peer, int peerNetnsFd) {
        NlMsgBuilder req = linkRequest(RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, 0, 0, 0)
                .putString(RtLink.IFLA_IFNAME, name);
        int linkInfo = req.startNested(RtLink.IFLA_LINKINFO);
        req.putString(RtLink.IFLA_INFO_KIND, "veth");
        int data = req.startNested(RtLink.IFLA_INFO_DATA);
        int peerInfo = req.startNested(VETH_INFO_PEER);
        ifinfomsg(req, 0, 0, 0).putString(RtLink.IFLA_IFNAME, peer);
        if (peerNetnsFd >= 0) {
            req.putU32(RtLink.IFLA_NET_NS_FD, peerNetnsFd);
        }
        return req.endNested(peerInfo).endNested(data).endNested(linkInfo);
    }

    public void deleteLink(int ifindex) throws IOException {
        rtnl.transact(linkRequest(RTM_DELLINK, 0, ifindex, 0, 0));
    }

    /** Sets or clears IFF_UP. */
    public void setUp(int ifindex, boolean up) throws IOException {
        rtnl.transact(linkRequest(RTM_NEWLINK, 0, ifindex, up ? RtLink.IFF_UP : 0, RtLink.IFF_UP));
    }

    public void setMtu(int ifindex, int mtu) throws IOException {
        rtnl.transact(linkRequest(RTM_NEWLINK, 0, ifindex, 0, 0).putU32(RtLink.IFLA_MTU, mtu));
    }

    /** Sets the link-layer address, e.g. 6 bytes for Ethernet. */
    public void setMac(int ifindex, byte[] mac) throws IOException {
        rtnl.transact(linkRequest(RTM_NEWLINK, 0, ifindex, 0, 0).putBytes(RtLink.IFLA_ADDRESS, mac));
    }

    /** Renames the link. Older kernels refuse (EBUSY) while it is up; recent ones allow it. */
    public void rename(int ifindex, String newName) throws IOException {
        rtnl.transact(linkRequest(RTM_NEWLINK, 0, ifindex, 0, 0).putString(RtLink.IFLA_IFNAME, newName));
    }

    /** Every IPv4 and IPv6 address in the executor's network namespace. */
    public List<RtAddr> dumpAddrs() throws IOException {
        NlMsgBuilder req = new NlMsgBuilder(RTM_GETADDR, 0).raw8(AF_UNSPEC).raw8(0).raw8(0).raw8(0).raw32(0);
        List<RtAddr> addrs = new ArrayList<>();
        for (NlMsg m : rtnl.dump(req)) {
            if (m.type() == RTM_NEWADDR) {
                addrs.add(RtAddr.parse(m));
            }
        }
        return addrs;
    }

    /** A request of 'type' whose struct ifinfomsg addresses 'ifindex' and changes 'change' bits to 'flags'. */
    static NlMsgBuilder linkRequest(int type, int nlFlags, int ifindex, int flags, int change) {
        return ifinfomsg(new NlMsgBuilder(type, nlFlags), ifindex, flags, change);
    }

    private static NlMsgBuilder ifinfomsg(NlMsgBuilder b, int ifindex, int flags, int change) {
        return b.raw8(AF_UNSPEC).raw8(0).raw16(0).raw32(ifindex).raw32(flags).raw32(change);
    }
}
