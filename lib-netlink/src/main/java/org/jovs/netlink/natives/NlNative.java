package org.jovs.netlink.natives;

import java.nio.ByteBuffer;

import org.jovs.core.natives.Native;

import jnr.ffi.LibraryLoader;

/**
 * The one place where lib-netlink loads its libc binding (once, on first use: stub generation costs
 * 100-200 ms), plus the constants and struct sizes of the Linux ABI it speaks (x86-64 and aarch64).
 */
public final class NlNative {
    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOCK_NONBLOCK = 04000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_EXT_ACK = 11;

    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;

    public static final int ENODEV = 19;
    public static final int ENOBUFS = 105;
    public static final int EOPNOTSUPP = 95;

    public static final int CLONE_NEWNET = 0x40000000;

    /** glibc's sysconf names. */
    public static final int SC_PAGESIZE = 30;
    public static final int SC_NPROCESSORS_ONLN = 84;

    /**
     * struct statvfs (glibc, 64-bit): f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, f_files,
     * f_ffree, f_favail, f_fsid, f_flag, f_namemax as 8-byte words, then spare ints.
     */
    public static final int STATVFS_SIZE = 112;
    public static final int STATVFS_FRSIZE = 8;
    public static final int STATVFS_BLOCKS = 16;
    public static final int STATVFS_BFREE = 24;

    /** struct sockaddr_nl: nl_family u16, pad u16, nl_pid u32, nl_groups u32. */
    public static final int SOCKADDR_NL_SIZE = 12;
    /** struct ifreq: ifr_name[16] and a 24-byte union (flags, or a pointer at offset 16). */
    public static final int IFREQ_SIZE = 40;
    public static final int IFNAMSIZ = 16;

    private static final NlLibC LIBC = LibraryLoader.create(NlLibC.class).load("c");

    private NlNative() {
    }

    public static NlLibC libc() {
        return LIBC;
    }

    /** A struct ifreq with 'name' in ifr_name; rejects names that do not fit (IFNAMSIZ - 1). */
    public static ByteBuffer ifreq(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length == 0 || b.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("invalid interface name '" + name + "'");
        }
        ByteBuffer ifr = Native.struct(IFREQ_SIZE);
        ifr.put(0, b);
        return ifr;
    }
}
