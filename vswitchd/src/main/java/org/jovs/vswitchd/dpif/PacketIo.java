package org.jovs.vswitchd.dpif;

import java.nio.ByteBuffer;

import org.jovs.core.natives.Native;
import org.jovs.vswitchd.dpif.natives.DpifLibC;
import org.jovs.vswitchd.dpif.natives.DpifNative;

/**
 * The reusable native buffers through which every port of the datapath reads and writes frames,
 * and the per-frame system calls. One receive buffer (with its msghdr, iovec, sockaddr_ll and
 * control buffer for PACKET_AUXDATA) and one send buffer serve all ports, since everything runs on
 * the main thread; nothing is allocated per frame. A frame crosses between native memory and the
 * Java array the rest of the packet path uses with one copy each way, and a VLAN tag the kernel
 * took out of a received frame is put back during that copy.
 */
final class PacketIo {
    /** The largest frame: 64 kB of IP plus Ethernet and one tag. */
    static final int MAX_FRAME = 65535 + 18;

    private final DpifLibC libc = DpifNative.libc();
    private final ByteBuffer rx = Native.struct(MAX_FRAME);
    private final ByteBuffer tx = Native.struct(MAX_FRAME);
    private final long rxAddr = Native.address(rx);
    private final long txAddr = Native.address(tx);
    private final ByteBuffer msg = Native.struct(DpifNative.MSGHDR_SIZE);
    private final ByteBuffer control = Native.struct(64);
    private final ByteBuffer sll = Native.struct(DpifNative.SOCKADDR_LL_SIZE);
    private final long msgAddr = Native.address(msg);
    /** Keeps the iovec reachable: the msghdr points to it. */
    private final ByteBuffer iov = Native.struct(16);

    PacketIo() {
        iov.putLong(0, rxAddr);
        iov.putLong(8, MAX_FRAME - 4);
        msg.putLong(DpifNative.MSG_NAME, Native.address(sll));
        msg.putLong(DpifNative.MSG_IOV, Native.address(iov));
        msg.putLong(DpifNative.MSG_IOVLEN, 1);
        msg.putLong(DpifNative.MSG_CONTROL, Native.address(control));
    }

    /** Outcome of a receive that produced no frame. */
    static final int AGAIN = -1;
    /** A frame that had to be dropped (truncated, too short); the caller counts it. */
    static final int DROPPED = -2;
    /** A frame this host sent, seen again on a kernel without PACKET_IGNORE_OUTGOING. */
    static final int OWN = -3;

    /**
     * Reads one frame from tap 'fd' into 'frame'; returns its length, {@link #AGAIN}, or
     * {@link #DROPPED}. Another error is returned as -errno - 100.
     */
    int readTap(int fd, byte[] frame) {
        long n = libc.read(fd, rxAddr, MAX_FRAME);
        if (n < 0) {
            int errno = Native.errno();
            return errno == DpifNative.EAGAIN ? AGAIN : -errno - 100;
        }
        if (n < 14) {
            return DROPPED;
        }
        rx.get(0, frame, 0, (int) n);
        return (int) n;
    }

    /**
     * Receives one frame from packet socket 'fd' into 'frame', with the VLAN tag the kernel
     * stripped put back; returns its length, {@link #AGAIN}, {@link #DROPPED}, {@link #OWN}, or
     * -errno - 100.
     */
    int receiveSocket(int fd, byte[] frame) {
        msg.putInt(DpifNative.MSG_NAMELEN, DpifNative.SOCKADDR_LL_SIZE);
        msg.putLong(DpifNative.MSG_CONTROLLEN, control.capacity());
        msg.putInt(DpifNative.MSG_FLAGS, 0);
        long n = libc.recvmsg(fd, msgAddr, DpifNative.MSG_TRUNC);
        if (n < 0) {
            int errno = Native.errno();
            return errno == DpifNative.EAGAIN ? AGAIN : -errno - 100;
        }
        if ((sll.get(DpifNative.SLL_PKTTYPE) & 0xff) == DpifNative.PACKET_OUTGOING) {
            return OWN;
        }
        if (n < 14 || n > MAX_FRAME - 4 || (msg.getInt(DpifNative.MSG_FLAGS) & DpifNative.MSG_TRUNC) != 0) {
            return DROPPED;
        }
        int len = (int) n;
        int tag = auxVlan();
        if (tag == 0) {
            rx.get(0, frame, 0, len);
            return len;
        }
        rx.get(0, frame, 0, 12);
        frame[12] = (byte) (tag >>> 24);
        frame[13] = (byte) (tag >>> 16);
        frame[14] = (byte) (tag >>> 8);
        frame[15] = (byte) tag;
        rx.get(12, frame, 16, len - 12);
        return len + 4;
    }

    /** The tag in the PACKET_AUXDATA message (TPID in the high half, TCI in the low), or 0 if none. */
    private int auxVlan() {
        long controlLen = msg.getLong(DpifNative.MSG_CONTROLLEN);
        int ofs = 0;
        while (ofs + DpifNative.CMSG_HDR <= controlLen) {
            long cmsgLen = control.getLong(ofs);
            if (cmsgLen < DpifNative.CMSG_HDR || ofs + cmsgLen > controlLen) {
                return 0;
            }
            if (control.getInt(ofs + 8) == DpifNative.SOL_PACKET && control.getInt(ofs + 12) == DpifNative.PACKET_AUXDATA
                    && cmsgLen >= DpifNative.CMSG_HDR + 20) {
                int data = ofs + DpifNative.CMSG_HDR;
                int status = control.getInt(data + DpifNative.AUX_STATUS);
                int tci = control.getShort(data + DpifNative.AUX_VLAN_TCI) & 0xffff;
                if ((status & DpifNative.TP_STATUS_VLAN_VALID) == 0 && tci == 0) {
                    return 0;
                }
                int tpid = (status & DpifNative.TP_STATUS_VLAN_TPID_VALID) != 0
                        ? control.getShort(data + DpifNative.AUX_VLAN_TPID) & 0xffff : 0x8100;
                return (tpid << 16) | tci;
            }
            ofs += (int) ((cmsgLen + 7) & ~7L);
        }
        return 0;
    }

    /** Writes 'frame[0..len)' to 'fd' (a tap or a bound packet socket); returns 0 or an errno. */
    int write(int fd, byte[] frame, int len) {
        if (len > MAX_FRAME) {
            return DpifNative.EMSGSIZE;
        }
        tx.put(0, frame, 0, len);
        long n = libc.write(fd, txAddr, len);
        return n < 0 ? Native.errno() : 0;
    }
}
