package org.jovs.vswitchd.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.vswitchd.netdev.Netdev;
import org.jovs.vswitchd.ofproto.OfPort;
import org.jovs.vswitchd.ofproto.PortSource;

/**
 * A bridge's open interfaces as its ofproto sees them: one {@link OfPort} per interface with its
 * device's address, flags, carrier and speed, the device counters, and port up/down on the
 * device. Main thread only.
 */
final class BridgePorts implements PortSource {
    private final Map<String, Bridge.Iface> ifaces;
    private final NetdevDatapath datapath;

    BridgePorts(Map<String, Bridge.Iface> ifaces, NetdevDatapath datapath) {
        this.ifaces = ifaces;
        this.datapath = datapath;
    }

    /**
     * 'stats' of device 'dev' with what the datapath dropped on it added to the drop counters the
     * device keeps, as netdev-linux adds its own drops; a new map.
     */
    static Map<String, Long> withDrops(Map<String, Long> stats, Netdev dev, NetdevDatapath datapath) {
        long[] drops = datapath.drops(dev);
        Map<String, Long> out = new TreeMap<>(stats);
        out.computeIfPresent("rx_dropped", (k, v) -> v + drops[0]);
        out.computeIfPresent("tx_dropped", (k, v) -> v + drops[1]);
        return out;
    }

    @Override
    public List<OfPort> ports() {
        List<OfPort> out = new ArrayList<>(ifaces.size());
        for (Bridge.Iface i : ifaces.values()) {
            Netdev d = i.netdev;
            EthAddr ea = EthAddr.parse(d.address());
            out.add(new OfPort(i.ofport, i.name, ea == null ? 0 : ea.value(), d.isUp(), d.carrier(), d.speedBps(),
                    !"half".equals(d.duplex())));
        }
        return out;
    }

    @Override
    public Map<String, Long> stats(int ofport) {
        Bridge.Iface i = find(ofport);
        return i == null ? Map.of() : withDrops(i.netdev.statistics(), i.netdev, datapath);
    }

    @Override
    public void setAdminUp(int ofport, boolean up) throws IOException {
        Bridge.Iface i = find(ofport);
        if (i != null) {
            i.netdev.setUp(up);
        }
    }

    private Bridge.Iface find(int ofport) {
        for (Bridge.Iface i : ifaces.values()) {
            if (i.ofport == ofport) {
                return i;
            }
        }
        return null;
    }
}
