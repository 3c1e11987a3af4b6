package org.jovs.vswitchd.dpif.natives;

import jnr.ffi.LibraryLoader;

/**
 * The one place where the datapath loads its libc binding (once, on first use), with the Linux
 * ABI constants and struct layouts of packet sockets (x86-64 and aarch64).
 */
public final class DpifNative {
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int ETH_P_ALL = 0x0003;

    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_PACKET = 263;
    public static final int PACKET_AUXDATA = 8;
    public static final int PACKET_IGNORE_OUTGOING = 23;
    /** sockaddr_ll.sll_pkttype of a frame this host sent. */
    public static final int PACKET_OUTGOING = 4;
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    public static final int MSG_TRUNC = 0x20;
    public static final int EAGAIN = 11;
    public static final int EIO = 5;
    public static final int ENOBUFS = 105;
    public static final int EMSGSIZE = 90;

    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCSIFFLAGS = 0x8914;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFNAMSIZ = 16;
    public static final int IFREQ_SIZE = 40;

    /** struct sockaddr_ll: family u16, protocol be16, ifindex s32, hatype u16, pkttype u8, halen u8, addr[8]. */
    public static final int SOCKADDR_LL_SIZE = 20;
    public static final int SLL_PKTTYPE = 10;
    /** struct msghdr (64-bit): name, namelen, iov, iovlen, control, controllen, flags. */
    public static final int MSGHDR_SIZE = 56;
    public static final int MSG_NAME = 0;
    public static final int MSG_NAMELEN = 8;
    public static final int MSG_IOV = 16;
    public static final int MSG_IOVLEN = 24;
    public static final int MSG_CONTROL = 32;
    public static final int MSG_CONTROLLEN = 40;
    public static final int MSG_FLAGS = 48;
    /** struct cmsghdr (64-bit): len size_t, level s32, type s32, then the data. */
    public static final int CMSG_HDR = 16;
    /** struct tpacket_auxdata: status u32, len u32, snaplen u32, mac u16, net u16, vlan_tci u16, vlan_tpid u16. */
    public static final int AUX_STATUS = 0;
    public static final int AUX_VLAN_TCI = 16;
    public static final int AUX_VLAN_TPID = 18;

    private static final DpifLibC LIBC = LibraryLoader.create(DpifLibC.class).load("c");

    private DpifNative() {
    }

    public static DpifLibC libc() {
        return LIBC;
    }

}
