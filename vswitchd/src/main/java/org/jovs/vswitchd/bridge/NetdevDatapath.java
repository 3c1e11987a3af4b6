package org.jovs.vswitchd.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.vswitchd.dpif.NetdevPorts;
import org.jovs.vswitchd.dpif.PacketPort;
import org.jovs.vswitchd.dpif.PortSender;
import org.jovs.vswitchd.flow.FrameHandler;
import org.slf4j.LoggerFactory;

/**
 * The userspace datapath "netdev@ovs-netdev" that every netdev bridge shares, as OVS's
 * dpif-netdev: its own tap device "ovs-netdev" (datapath port 0) and a datapath port number for
 * each port of every bridge, the lowest free one, and the packet path ({@link NetdevPorts}) that
 * moves frames between the ports' devices and their bridges.
 *
 * <p>Created by {@link Switch} with the first netdev bridge and closed with the last one (which
 * removes ovs-netdev, as OVS does). Main thread only; {@link #run()} and
 * {@link #waitFor(PollLoop)} are the packet path's.
 */
final class NetdevDatapath {
    static final String NAME = "ovs-netdev";

    private final Netdevs netdevs;
    private final Netdev device;
    private final Map<String, Integer> ports = new TreeMap<>();
    private final NetdevPorts packets;
    /** The devices with frame I/O, to follow system devices that are made again. */
    private final List<Netdev> attached = new ArrayList<>();

    private NetdevDatapath(Netdevs netdevs, Netdev device, NetdevPorts packets) {
        this.netdevs = netdevs;
        this.device = device;
        this.packets = packets;
        ports.put(NAME, 0);
    }

    static NetdevDatapath open(Netdevs netdevs) throws Netdevs.OpenException {
        NetdevPorts packets;
        try {
            packets = NetdevPorts.open();
        } catch (NativeException e) {
            throw new Netdevs.OpenException(e.errno());
        }
        try {
            return new NetdevDatapath(netdevs, netdevs.open(NAME, "tap"), packets);
        } catch (Netdevs.OpenException e) {
            packets.close();
            throw e;
        }
    }

    /** A frame sender for one bridge, whose ports it learns through {@link PortSender#put}. */
    PortSender newSender() {
        return new PortSender(packets);
    }

    /**
     * Starts frame I/O on 'dev', a port with OpenFlow number 'ofport' whose frames go to
     * 'handler'. Returns null (and logs) if the device cannot be read: the port stays, silent.
     */
    PacketPort attach(Netdev dev, int ofport, FrameHandler handler) {
        try {
            PacketPort p = dev.tap != null
                    ? packets.addTap(dev.name, dev.tap.fd(), ofport, handler, () -> dev.isUp() && dev.carrier())
                    : packets.addSystem(dev.name, dev.ifindex(), ofport, handler, () -> dev.isUp() && dev.carrier());
            dev.io = p;
            attached.add(dev);
            return p;
        } catch (NativeException e) {
            LoggerFactory.getLogger("netdev_linux").warn("{}: could not open a packet socket ({})", dev.name,
                    Native.strerror(e.errno()));
            return null;
        }
    }

    /** Stops frame I/O on 'dev', before its device is closed. */
    void detach(Netdev dev) {
        if (dev.io != null) {
            packets.remove(dev.io);
            dev.io = null;
            attached.remove(dev);
        }
    }

    /** The dpif/show counters: "hit:N missed:N". */
    String lookupStats() {
        return "hit:" + packets.hit() + " missed:" + packets.missed();
    }

    void run() {
        for (Netdev dev : attached) {
            if (dev.link != null) {
                dev.io.rebind(dev.ifindex());
            }
        }
        packets.run();
    }

    void waitFor(PollLoop loop) {
        packets.waitFor(loop);
    }

    /** "netdev@ovs-netdev", as dpif_name() prints it. */
    String fullName() {
        return "netdev@" + NAME;
    }

    /** Adds port 'name' and returns its datapath port number. */
    int addPort(String name) {
        Integer existing = ports.get(name);
        if (existing != null) {
            return existing;
        }
        int n = 1;
        while (ports.containsValue(n)) {
            n++;
        }
        ports.put(name, n);
        return n;
    }

    void removePort(String name) {
        if (!NAME.equals(name)) {
            ports.remove(name);
        }
    }

    /** True if only the datapath's own port is left. */
    boolean isEmpty() {
        return ports.size() == 1;
    }

    /**
     * Stops the packet path, leaving the devices: on the daemon's way out, so that ports get their
     * promiscuous flag back, as OVS's netdev_close() restores flags.
     */
    void stopPackets() {
        packets.close();
    }

    /** Closes the datapath; with 'delete', its ovs-netdev device is deleted too. */
    void close(boolean delete) {
        packets.close();
        netdevs.close(device, delete);
    }
}
