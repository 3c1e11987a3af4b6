package org.jovs.vswitchd.dpif;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import org.jovs.core.PollLoop;
import org.jovs.core.RateLimit;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.vswitchd.dpif.natives.DpifNative;
import org.jovs.vswitchd.flow.FrameHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A port of the userspace datapath on a kernel device, with its frame I/O as OVS's netdev-linux rx queue and send
 * path: a tap device (an internal or tap port) is read and written on its tun fd, which
 * {@link org.jovs.vswitchd.bridge} owns; an existing device (a system port) through an AF_PACKET
 * socket this port opens and owns, bound to the device for every protocol, with PACKET_AUXDATA so
 * that VLAN tags the kernel took out are put back, and without the frames this host sends
 * (PACKET_IGNORE_OUTGOING, and the packet type where the kernel lacks it; OVS uses a socket
 * filter). The device is put in promiscuous mode while it is a port, as dpif-netdev does, and
 * restored when the port is closed, if this port turned it on.
 *
 * <p>Received frames go, with the port's OpenFlow number as in_port, to the {@link FrameHandler}
 * of its bridge. Sending never blocks: a frame the device cannot take now is dropped and counted
 * (tx_dropped, as netdev-linux counts it). Main thread only; created and closed by
 * {@link NetdevPorts}.
 */
public final class LinuxPacketPort extends PacketPort {
    private static final Logger LOG = LoggerFactory.getLogger("netdev_linux");
    private static final RateLimit RL = new RateLimit(5, 20);
    private static final int RCVBUF = 4 << 20;

    private final boolean tap;
    private final int fd;
    private final BooleanSupplier live;
    private boolean promiscSet;
    /** The device index a packet socket is bound to (0 for a tap). */
    private int ifindex;
    private final int ioctlFd;

    private LinuxPacketPort(String name, int ofport, FrameHandler handler, boolean tap, int fd, BooleanSupplier live,
            int ioctlFd) {
        super(name, ofport, handler);
        this.tap = tap;
        this.fd = fd;
        this.live = live;
        this.ioctlFd = ioctlFd;
        this.promiscSet = setPromisc(ioctlFd, name, true);
    }

    /**
     * A port on tap device 'name' whose tun fd is 'tapFd' (not owned). 'ioctlFd' is a socket for
     * the interface flags ioctl, which outlives the port.
     */
    static LinuxPacketPort openTap(String name, int tapFd, int ofport, FrameHandler handler, BooleanSupplier live,
            int ioctlFd) {
        return new LinuxPacketPort(name, ofport, handler, true, tapFd, live, ioctlFd);
    }

    /** A port on existing device 'name' of index 'ifindex', through a packet socket of its own. */
    static LinuxPacketPort openSocket(String name, int ifindex, int ofport, FrameHandler handler, BooleanSupplier live,
            int ioctlFd) throws NativeException {
        // Protocol 0 at creation: the socket sees nothing until bound to the one device.
        int fd = (int) Native.check(DpifNative.libc().socket(DpifNative.AF_PACKET,
                DpifNative.SOCK_RAW | DpifNative.SOCK_NONBLOCK | DpifNative.SOCK_CLOEXEC, 0), "socket(AF_PACKET)");
        try {
            Native.check(DpifNative.libc().setsockopt(fd, DpifNative.SOL_PACKET, DpifNative.PACKET_AUXDATA,
                    new int[] {1}, 4), "setsockopt(PACKET_AUXDATA)");
            if (DpifNative.libc().setsockopt(fd, DpifNative.SOL_PACKET, DpifNative.PACKET_IGNORE_OUTGOING,
                    new int[] {1}, 4) < 0) {
                LOG.debug("{}: no PACKET_IGNORE_OUTGOING, filtering by packet type", name);
            }
            // Unlike OVS, a receive buffer well above the kernel default (about 200 kB): a JVM's
            // main loop pauses longer than OVS's (collections, compilation), and a TCP burst that
            // overflows the buffer costs retransmissions (measured: a quarter of the segments
            // retransmitted at 200 kB, none at 4 MB, with 1.5 times the throughput).
            int[] size = {RCVBUF};
            if (DpifNative.libc().setsockopt(fd, DpifNative.SOL_SOCKET, DpifNative.SO_RCVBUFFORCE, size, 4) < 0) {
                DpifNative.libc().setsockopt(fd, DpifNative.SOL_SOCKET, DpifNative.SO_RCVBUF, size, 4);
            }
            if (ifindex > 0) {
                // Never index 0, which would mean every device; a missing device comes with rebind().
                bind(fd, ifindex);
            }
        } catch (NativeException e) {
            Native.closeQuietly(fd);
            throw e;
        }
        LinuxPacketPort p = new LinuxPacketPort(name, ofport, handler, false, fd, live, ioctlFd);
        p.ifindex = Math.max(ifindex, 0);
        return p;
    }

    private static void bind(int fd, int ifindex) throws NativeException {
        ByteBuffer sll = Native.struct(DpifNative.SOCKADDR_LL_SIZE);
        sll.putShort(0, (short) DpifNative.AF_PACKET);
        sll.put(2, (byte) (DpifNative.ETH_P_ALL >> 8));
        sll.put(3, (byte) DpifNative.ETH_P_ALL);
        sll.putInt(4, ifindex);
        Native.check(DpifNative.libc().bind(fd, sll, DpifNative.SOCKADDR_LL_SIZE), "bind(AF_PACKET)");
    }

    /**
     * Follows a system device that was deleted and made again under the same name: binds the
     * packet socket to its new index 'newIfindex' and makes it promiscuous again. Nothing for a
     * tap or an unchanged index.
     */
    @Override
    public void rebind(int newIfindex) {
        if (tap || newIfindex == ifindex || newIfindex <= 0) {
            return;
        }
        try {
            bind(fd, newIfindex);
            ifindex = newIfindex;
            promiscSet = setPromisc(ioctlFd, name, true);
            LOG.info("{}: device reappeared, receiving again", name);
        } catch (NativeException e) {
            if (RL.admit(LOG, Level.WARN)) {
                LOG.warn("{}: {}", name, e.getMessage());
            }
        }
    }

    /**
     * Turns promiscuous mode on or off through SIOCSIFFLAGS on socket 'fd', as OVS's
     * netdev_turn_flags_on(NETDEV_PROMISC) (so that `ip link` shows it); returns true if it
     * changed the flag (so that closing undoes only what opening did).
     */
    private static boolean setPromisc(int fd, String name, boolean on) {
        ByteBuffer ifr = Native.struct(DpifNative.IFREQ_SIZE);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length >= DpifNative.IFNAMSIZ) {
            return false;
        }
        ifr.put(0, n);
        if (DpifNative.libc().ioctl(fd, DpifNative.SIOCGIFFLAGS, ifr) < 0) {
            LOG.warn("ioctl(SIOCGIFFLAGS) on {} device failed: {}", name, Native.strerror(Native.errno()));
            return false;
        }
        int flags = ifr.getShort(DpifNative.IFNAMSIZ) & 0xffff;
        boolean isOn = (flags & DpifNative.IFF_PROMISC) != 0;
        if (isOn == on) {
            return false;
        }
        ifr.putShort(DpifNative.IFNAMSIZ, (short) (on ? flags | DpifNative.IFF_PROMISC : flags & ~DpifNative.IFF_PROMISC));
        if (DpifNative.libc().ioctl(fd, DpifNative.SIOCSIFFLAGS, ifr) < 0) {
            LOG.warn("ioctl(SIOCSIFFLAGS) on {} device failed: {}", name, Native.strerror(Native.errno()));
            return false;
        }
        return true;
    }

    @Override
    void waitFor(PollLoop loop) {
        loop.fdWait(fd, PollLoop.POLLIN);
    }

    @Override
    int receive(PacketIo io, byte[] frame) {
        int n = tap ? io.readTap(fd, frame) : io.receiveSocket(fd, frame);
        if (n > 0) {
            rxPackets++;
            rxBytes += n;
        } else if (n == PacketIo.DROPPED) {
            rxDropped++;
            if (RL.admit(LOG, Level.WARN)) {
                LOG.warn("{}: Dropped packet: Too big or too short", name);
            }
        } else if (n < -100 && RL.admit(LOG, Level.WARN)) {
            LOG.warn("error receiving Ethernet packet on {}: {}", name, Native.strerror(-n - 100));
        }
        return n;
    }

    @Override
    public boolean canTransmit() {
        return live.getAsBoolean();
    }

    @Override
    void send(PacketIo io, byte[] frame, int len) {
        if (tap && !live.getAsBoolean()) {
            // The tap driver refuses frames while the device is down (EIO): don't try.
            txDropped++;
            return;
        }
        int errno = io.write(fd, frame, len);
        if (errno == 0) {
            txPackets++;
            txBytes += len;
            return;
        }
        txDropped++;
        if (errno != DpifNative.EAGAIN && errno != DpifNative.ENOBUFS && errno != DpifNative.EIO
                && RL.admit(LOG, Level.WARN)) {
            LOG.warn("error sending Ethernet packet on {}: {}", name, Native.strerror(errno));
        }
    }

    /** Restores the promiscuous flag and closes the packet socket (a tap's fd stays with its owner). */
    @Override
    void close() {
        if (promiscSet) {
            setPromisc(ioctlFd, name, false);
        }
        if (!tap) {
            Native.closeQuietly(fd);
        }
    }
}
