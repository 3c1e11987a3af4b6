package org.jovs.vswitchd.bridge;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.vswitchd.dpif.NetdevPorts;
import org.jovs.vswitchd.dpif.PacketPort;
import org.jovs.vswitchd.dpif.PortSender;
import org.jovs.vswitchd.flow.FrameHandler;
import org.jovs.vswitchd.netdev.DummyNetdev;
import org.jovs.vswitchd.netdev.LinuxNetdev;
import org.jovs.vswitchd.netdev.Netdev;
import org.jovs.vswitchd.netdev.Netdevs;
import org.slf4j.LoggerFactory;

/**
 * One userspace datapath, as OVS's dpif-netdev: "netdev@ovs-netdev" on kernel devices, or, with
 * --enable-dummy, "dummy@ovs-dummy" (and the types --enable-dummy=system|override hands to it)
 * on netdev-dummy devices, the same forwarding code either way. Every bridge of its type shares
 * it. It has its own internal device "ovs-TYPE" (datapath port 0), a datapath port number for
 * each port of every bridge, and the packet path ({@link NetdevPorts}) that moves frames between
 * the ports' devices and their bridges.
 *
 * <p>Port numbers: the lowest free one; on a dummy datapath, as OVS's dummy dpif, the number in
 * the port's name if it is free (plus 100 for a name that starts with "br"), so that tests can
 * predict them. An internal port is a "tap" device on the netdev datapath and a "dummy-internal"
 * one on a dummy datapath, as dpif_netdev_port_open_type().
 *
 * <p>Created by {@link Switch} with the first bridge of its type and closed with the last one
 * (which removes its device, as OVS does). Main thread only; {@link #run()} and
 * {@link #waitFor(PollLoop)} are the packet path's.
 */
final class NetdevDatapath {
    /** A port this datapath has: its name, number and device. */
    private record DpPort(String name, int number, Netdev dev) {
    }

    private final String type;
    private final boolean dummy;
    private final Netdevs netdevs;
    private final Netdev device;
    private final Map<String, DpPort> ports = new TreeMap<>();
    private final NetdevPorts packets;
    /** The frame I/O of each device that is a port. */
    private final Map<Netdev, PacketPort> io = new HashMap<>();

    private NetdevDatapath(String type, boolean dummy, Netdevs netdevs, NetdevPorts packets, Netdev device) {
        this.type = type;
        this.dummy = dummy;
        this.netdevs = netdevs;
        this.packets = packets;
        this.device = device;
        ports.put(device.name, new DpPort(device.name, 0, device));
    }

    /**
     * Opens the datapath of 'type'; 'dummy' says whether it is a dummy datapath (its ports are
     * numbered by name, its internal ports are dummy devices).
     */
    static NetdevDatapath open(String type, boolean dummy, Netdevs netdevs) throws Netdevs.OpenException {
        NetdevPorts packets;
        try {
            packets = NetdevPorts.open();
        } catch (NativeException e) {
            throw new Netdevs.OpenException(e.errno());
        }
        try {
            Netdev dev = netdevs.open("ovs-" + type, internalType(dummy));
            return new NetdevDatapath(type, dummy, netdevs, packets, dev);
        } catch (Netdevs.OpenException e) {
            packets.close();
            throw e;
        }
    }

    private static String internalType(boolean dummy) {
        return dummy ? "dummy-internal" : "tap";
    }

    /** The netdev class of an interface of type 'ifaceType' on this datapath, or null if unknown. */
    String netdevType(String ifaceType) {
        switch (ifaceType) {
        case "":
            return "system";
        case "internal":
            return internalType(dummy);
        default:
            return netdevs.knownType(ifaceType) ? ifaceType : null;
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
        PacketPort p;
        if (dev instanceof DummyNetdev) {
            p = packets.addDummy((DummyNetdev) dev, ofport, handler);
        } else {
            LinuxNetdev linux = (LinuxNetdev) dev;
            try {
                p = linux.tap != null
                        ? packets.addTap(dev.name, linux.tap.fd(), ofport, handler, () -> dev.isUp() && dev.carrier())
                        : packets.addSystem(dev.name, dev.ifindex(), ofport, handler, () -> dev.isUp() && dev.carrier());
            } catch (NativeException e) {
                LoggerFactory.getLogger("netdev_linux").warn("{}: could not open a packet socket ({})", dev.name,
                        Native.strerror(e.errno()));
                return null;
            }
        }
        io.put(dev, p);
        return p;
    }

    /** Stops frame I/O on 'dev', before its device is closed. */
    void detach(Netdev dev) {
        PacketPort p = io.remove(dev);
        if (p != null) {
            packets.remove(p);
        }
    }

    /** What the datapath dropped on 'dev': {rx, tx}, added to the device's counters. */
    long[] drops(Netdev dev) {
        PacketPort p = io.get(dev);
        return p == null ? new long[2] : new long[] {p.rxDropped(), p.txDropped()};
    }

    /** The dpif/show counters: "hit:N missed:N". */
    String lookupStats() {
        return "hit:" + packets.hit() + " missed:" + packets.missed();
    }

    void run() {
        for (Map.Entry<Netdev, PacketPort> e : io.entrySet()) {
            if (e.getKey().present()) {
                e.getValue().rebind(e.getKey().ifindex());
            }
        }
        packets.run();
    }

    void waitFor(PollLoop loop) {
        packets.waitFor(loop);
    }

    String type() {
        return type;
    }

    /** "TYPE@ovs-TYPE", as dpif_name() prints it. */
    String fullName() {
        return type + "@" + device.name;
    }

    /** Adds port 'name' on device 'dev' and returns its datapath port number. */
    int addPort(String name, Netdev dev) {
        DpPort existing = ports.get(name);
        if (existing != null) {
            return existing.number();
        }
        int n = dummy ? numberFromName(name) : 0;
        if (n == 0) {
            n = 1;
            while (numberTaken(n)) {
                n++;
            }
        }
        ports.put(name, new DpPort(name, n, dev));
        return n;
    }

    /**
     * The number a dummy datapath gives 'name', as OVS's choose_port(): the first number in the
     * name, plus 100 if the name starts with "br", if free; else 0.
     */
    private int numberFromName(String name) {
        int base = name.startsWith("br") ? 100 : 0;
        for (int i = 0; i < name.length(); i++) {
            if (Character.isDigit(name.charAt(i))) {
                int j = i;
                while (j < name.length() && Character.isDigit(name.charAt(j)) && j - i < 9) {
                    j++;
                }
                int n = base + Integer.parseInt(name.substring(i, j));
                return n > 0 && !numberTaken(n) ? n : 0;
            }
        }
        return 0;
    }

    private boolean numberTaken(int n) {
        for (DpPort p : ports.values()) {
            if (p.number() == n) {
                return true;
            }
        }
        return false;
    }

    /** The number of port 'name', or -1 if the datapath has no such port. */
    int portNumber(String name) {
        DpPort p = ports.get(name);
        return p == null ? -1 : p.number();
    }

    void removePort(String name) {
        if (!device.name.equals(name)) {
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

    /** Closes the datapath; with 'delete', its device is deleted too. */
    void close(boolean delete) {
        packets.close();
        netdevs.close(device, delete);
    }
}
