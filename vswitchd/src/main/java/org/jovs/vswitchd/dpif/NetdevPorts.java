package org.jovs.vswitchd.dpif;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.jovs.core.PollLoop;
import org.jovs.core.RateLimit;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.vswitchd.dpif.natives.DpifNative;
import org.jovs.vswitchd.flow.FlowExtractor;
import org.jovs.vswitchd.flow.FlowKey;
import org.jovs.vswitchd.flow.FrameHandler;
import org.jovs.vswitchd.netdev.DummyNetdev;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The packet path of the userspace datapath, as OVS's dpif-netdev main thread: every port's
 * frames are read, their header fields extracted into one reused {@link FlowKey}, and handed to
 * the port's {@link FrameHandler} (its bridge's), with the port's OpenFlow number as in_port.
 *
 * <p>Main-loop contract: {@link #run()} reads at most {@link #BATCH} frames per port per call
 * (OVS's NETDEV_MAX_BURST), so that a busy port cannot starve the others or the rest of the loop,
 * and never blocks; {@link #waitFor(PollLoop)} registers every port's fd for POLLIN (a port with
 * frames left over keeps its fd readable, so the loop comes straight back). Per frame nothing is
 * allocated: one frame array, one key and {@link PacketIo}'s native buffers serve every port.
 *
 * <p>Counters for dpif/show: there is no flow cache in front of the handler yet, so every frame
 * is a "missed" lookup (what OVS counts when a frame goes to the full classification, its upcall)
 * and "hit" stays 0; "lost" counts frames whose handler failed. Owned by the bridge layer's
 * NetdevDatapath; main thread only. Owns the packet sockets of system ports and an ioctl socket.
 */
public final class NetdevPorts implements AutoCloseable {
    /** Frames read from one port per {@link #run()}. */
    public static final int BATCH = 32;
    private static final Logger LOG = LoggerFactory.getLogger("dpif_netdev");
    private static final RateLimit RL = new RateLimit(5, 20);
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;

    private final PacketIo io = new PacketIo();
    private final byte[] frame = new byte[PacketIo.MAX_FRAME];
    private final FlowKey key = new FlowKey();
    private int ioctlFd;
    private PacketPort[] ports = new PacketPort[0];
    private long missed;
    private long lost;

    private NetdevPorts(int ioctlFd) {
        this.ioctlFd = ioctlFd;
    }

    /** Opens the packet path (its ioctl socket) in the calling thread's network namespace. */
    public static NetdevPorts open() throws NativeException {
        return new NetdevPorts((int) Native.check(Native.libc().socket(AF_INET, SOCK_DGRAM | DpifNative.SOCK_CLOEXEC, 0),
                "socket(AF_INET)"));
    }

    /**
     * Adds tap device 'name' with tun fd 'tapFd' (owned by the caller) as OpenFlow port 'ofport'
     * whose frames go to 'handler'; 'live' tells whether the device can transmit now.
     */
    public PacketPort addTap(String name, int tapFd, int ofport, FrameHandler handler, BooleanSupplier live) {
        return add(LinuxPacketPort.openTap(name, tapFd, ofport, handler, live, ioctlFd));
    }

    /** Adds existing device 'name' (index 'ifindex') as OpenFlow port 'ofport', through a packet socket. */
    public PacketPort addSystem(String name, int ifindex, int ofport, FrameHandler handler, BooleanSupplier live)
            throws NativeException {
        return add(LinuxPacketPort.openSocket(name, ifindex, ofport, handler, live, ioctlFd));
    }

    /** Adds netdev-dummy device 'dev' as OpenFlow port 'ofport' whose frames go to 'handler'. */
    public PacketPort addDummy(DummyNetdev dev, int ofport, FrameHandler handler) {
        return add(new DummyPacketPort(dev, ofport, handler));
    }

    private PacketPort add(PacketPort p) {
        ports = Arrays.copyOf(ports, ports.length + 1);
        ports[ports.length - 1] = p;
        return p;
    }

    /** Stops reading 'p' and closes its I/O. */
    public void remove(PacketPort p) {
        int i = Arrays.asList(ports).indexOf(p);
        if (i < 0) {
            return;
        }
        PacketPort[] next = new PacketPort[ports.length - 1];
        System.arraycopy(ports, 0, next, 0, i);
        System.arraycopy(ports, i + 1, next, i, ports.length - i - 1);
        ports = next;
        p.close();
    }

    public void run() {
        // The handler may add or remove ports (through a reconfiguration it triggers): iterate a snapshot.
        PacketPort[] snapshot = ports;
        for (PacketPort p : snapshot) {
            for (int i = 0; i < BATCH; i++) {
                int n = p.receive(io, frame);
                if (n == PacketIo.AGAIN || n < -100) {
                    break;
                }
                if (n < 0) {
                    continue;
                }
                FlowExtractor.extract(frame, n, p.ofport, key);
                missed++;
                try {
                    p.handler.receive(key, frame, n);
                } catch (RuntimeException e) {
                    lost++;
                    if (RL.admit(LOG, Level.WARN)) {
                        LOG.warn("{}: frame handler failed: {}", p.name, e.toString(), e);
                    }
                }
            }
        }
    }

    public void waitFor(PollLoop loop) {
        for (PacketPort p : ports) {
            p.waitFor(loop);
        }
    }

    /** Sends 'frame[0..len)' out of 'p' without blocking. */
    void send(PacketPort p, byte[] f, int len) {
        p.send(io, f, len);
    }

    /** Frames a flow cache answered: none, there is no cache yet. */
    public long hit() {
        return 0;
    }

    public long missed() {
        return missed;
    }

    public long lost() {
        return lost;
    }

    /** Closes every port's I/O (restoring promiscuous flags) and the ioctl socket; again does nothing. */
    @Override
    public void close() {
        for (PacketPort p : ports) {
            p.close();
        }
        ports = new PacketPort[0];
        Native.closeQuietly(ioctlFd);
        ioctlFd = -1;
    }
}
