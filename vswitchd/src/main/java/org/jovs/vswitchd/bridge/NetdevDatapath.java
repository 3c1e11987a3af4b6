package org.jovs.vswitchd.bridge;

import java.util.Map;
import java.util.TreeMap;

/**
 * The userspace datapath "netdev@ovs-netdev" that every netdev bridge shares, as OVS's
 * dpif-netdev: its own tap device "ovs-netdev" (datapath port 0) and a datapath port number for
 * each port of every bridge, the lowest free one. Packet forwarding is not here yet, so the
 * hit and missed counters stay 0.
 *
 * <p>Created by {@link Switch} with the first netdev bridge and closed with the last one (which
 * removes ovs-netdev, as OVS does). Main thread only.
 */
final class NetdevDatapath {
    static final String NAME = "ovs-netdev";

    private final Netdevs netdevs;
    private final Netdev device;
    private final Map<String, Integer> ports = new TreeMap<>();

    private NetdevDatapath(Netdevs netdevs, Netdev device) {
        this.netdevs = netdevs;
        this.device = device;
        ports.put(NAME, 0);
    }

    static NetdevDatapath open(Netdevs netdevs) throws Netdevs.OpenException {
        return new NetdevDatapath(netdevs, netdevs.open(NAME, "tap"));
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

    /** Closes the datapath; with 'delete', its ovs-netdev device is deleted too. */
    void close(boolean delete) {
        netdevs.close(device, delete);
    }
}
