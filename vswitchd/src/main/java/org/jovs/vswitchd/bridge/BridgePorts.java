package org.jovs.vswitchd.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jovs.vswitchd.ofproto.OfPort;
import org.jovs.vswitchd.ofproto.PortSource;

/**
 * A bridge's open interfaces as its ofproto sees them: one {@link OfPort} per interface with its
 * device's address, flags, carrier and speed, the device counters, and port up/down through
 * {@link Netdevs}. Main thread only.
 */
final class BridgePorts implements PortSource {
    private final Map<String, Bridge.Iface> ifaces;
    private final Netdevs netdevs;

    BridgePorts(Map<String, Bridge.Iface> ifaces, Netdevs netdevs) {
        this.ifaces = ifaces;
        this.netdevs = netdevs;
    }

    @Override
    public List<OfPort> ports() {
        List<OfPort> out = new ArrayList<>(ifaces.size());
        for (Bridge.Iface i : ifaces.values()) {
            Netdev d = i.netdev;
            EthAddr ea = d.link == null ? null : EthAddr.parse(d.link.address());
            out.add(new OfPort(i.ofport, i.name, ea == null ? 0 : ea.value(), d.isUp(), d.carrier(), d.speedBps,
                    !"half".equals(d.duplex)));
        }
        return out;
    }

    @Override
    public Map<String, Long> stats(int ofport) {
        Bridge.Iface i = find(ofport);
        return i == null ? Map.of() : i.netdev.statistics();
    }

    @Override
    public void setAdminUp(int ofport, boolean up) throws IOException {
        Bridge.Iface i = find(ofport);
        if (i != null) {
            netdevs.setUp(i.netdev, up);
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
