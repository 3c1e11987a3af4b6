package org.jovs.vswitchd.netdev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.netlink.Ethtool;
import org.jovs.netlink.GenlFamilies;
import org.jovs.netlink.NetdevMonitor;
import org.jovs.netlink.Netlink;
import org.jovs.netlink.NlAttr;
import org.jovs.netlink.NlKernelException;
import org.jovs.netlink.NlMsg;
import org.jovs.netlink.NlMsgBuilder;
import org.jovs.netlink.NlSocket;
import org.jovs.netlink.RtLink;
import org.jovs.netlink.Rtnetlink;
import org.jovs.netlink.Tap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel network devices of the daemon's namespace, as the bridge uses them (OVS's
 * netdev-linux): opens devices for ports, follows their state through the netdev runner's
 * link events, and refreshes their statistics when {@link Netdevs} asks.
 *
 * <p>Main-loop contract: {@link #run()} drains link events; {@link #waitFor(PollLoop)} registers
 * the notification socket.
 * {@link #changeSeqno()} moves whenever anything a port reports changed, and
 * {@link #devicesChanged()} tells that devices appeared that no port has (OVS's if_notifier),
 * after which the bridge retries ports that could not be opened. Opening and closing make rtnetlink and
 * ethtool requests, which block only as long as the kernel takes to answer. Owns its sockets and
 * every tap it opened.
 */
public final class LinuxNetdevs implements NetdevMonitor.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("netdev_linux");
    private static final int ENODEV = 19;
    private static final int IFLA_STATS64 = 23;
    private static final int STATS64_COUNTERS = 16;
    private static final int IFINFOMSG_SIZE = 16;

    private final NlSocket rtnlSocket;
    private final Rtnetlink rtnl;
    private final NlSocket genlSocket;
    private final Ethtool ethtool;
    private final NetdevMonitor monitor;
    private final Map<String, LinuxNetdev> open = new HashMap<>();
    private long changeSeqno;
    private boolean devicesChanged;

    private LinuxNetdevs(NlSocket rtnlSocket, NlSocket genlSocket, Ethtool ethtool) throws IOException {
        this.rtnlSocket = rtnlSocket;
        this.rtnl = new Rtnetlink(rtnlSocket);
        this.genlSocket = genlSocket;
        this.ethtool = ethtool;
        this.monitor = new NetdevMonitor(rtnlSocket, this);
    }

    /** Opens the netlink sockets in the calling thread's network namespace. */
    static LinuxNetdevs open() throws IOException {
        NlSocket rtnl = NlSocket.open(Netlink.NETLINK_ROUTE);
        NlSocket genl = null;
        Ethtool ethtool = null;
        try {
            genl = NlSocket.open(Netlink.NETLINK_GENERIC);
            ethtool = new Ethtool(genl, new GenlFamilies(genl));
            return new LinuxNetdevs(rtnl, genl, ethtool);
        } catch (IOException | RuntimeException e) {
            if (ethtool != null) {
                ethtool.close();
            }
            if (genl != null) {
                genl.close();
            }
            rtnl.close();
            throw e;
        }
    }

    /**
     * Opens device 'name' of netdev class 'type' ("system": it must exist; "tap": created, or
     * attached to if it exists as a tap). A device already open is shared.
     */
    LinuxNetdev open(String name, String type) throws Netdevs.OpenException {
        LinuxNetdev dev;
        if (type.equals("system")) {
            RtLink link = monitor.link(name).orElse(null);
            if (link == null) {
                throw new Netdevs.OpenException(ENODEV);
            }
            dev = new LinuxNetdev(this, name, type, null, link);
        } else {
            Tap tap;
            try {
                tap = Tap.create(name);
                tap.setPersistent(true);
            } catch (NativeException e) {
                throw new Netdevs.OpenException(e.errno());
            }
            dev = new LinuxNetdev(this, name, type, tap, null);
        }
        readLink(dev);
        readDeviceInfo(dev);
        open.put(name, dev);
        changeSeqno++;
        return dev;
    }

    /**
     * Closes 'dev'. With 'delete', a tap device is deleted, as netdev-linux does when a tap port
     * goes away; without, it stays (persistent) for whoever opens it next.
     */
    void close(LinuxNetdev dev, boolean delete) {
        if (open.remove(dev.name) == null) {
            return;
        }
        if (dev.tap != null && delete) {
            try {
                dev.tap.setPersistent(false);
            } catch (NativeException e) {
                LOG.warn("{}: could not make tap device non-persistent: {}", dev.name, e.getMessage());
            }
        }
        if (dev.tap != null) {
            dev.tap.close();
        }
        changeSeqno++;
    }

    /** Sets the Ethernet address of 'dev'. */
    void setMac(LinuxNetdev dev, byte[] mac) throws IOException {
        if (dev.link == null) {
            throw new NlKernelException(ENODEV, null);
        }
        rtnl.setMac(dev.link.ifindex(), mac);
        readLink(dev);
        changeSeqno++;
    }

    /** Brings 'dev' administratively up or down (IFF_UP), as an OpenFlow port mod asks. */
    void setMtu(LinuxNetdev dev, int mtu) throws IOException {
        if (dev.link == null) {
            throw new NlKernelException(ENODEV, null);
        }
        rtnl.setMtu(dev.link.ifindex(), mtu);
        readLink(dev);
        changeSeqno++;
    }

    void setUp(LinuxNetdev dev, boolean up) throws IOException {
        if (dev.link == null) {
            throw new NlKernelException(ENODEV, null);
        }
        rtnl.setUp(dev.link.ifindex(), up);
        readLink(dev);
        changeSeqno++;
    }

    /** Moves whenever some open device's reported state changed. */
    long changeSeqno() {
        return changeSeqno;
    }

    /** True (once) if devices appeared or vanished since the last call. */
    boolean devicesChanged() {
        boolean b = devicesChanged;
        devicesChanged = false;
        return b;
    }

    void run() {
        monitor.run();
    }

    void waitFor(PollLoop loop) {
        monitor.waitFor(loop);
    }

    @Override
    public void linkChanged(NetdevMonitor.LinkEvent event) {
        RtLink link = event.link();
        LinuxNetdev dev = open.get(link.name());
        if ((event.change() == NetdevMonitor.Change.ADDED || event.change() == NetdevMonitor.Change.RENAMED)
                && dev == null) {
            // A device no port has yet: one that a port is waiting for, perhaps. (The devices
            // this daemon creates itself are open by the time their notification arrives.)
            devicesChanged = true;
        }
        if (event.change() == NetdevMonitor.Change.RENAMED && event.previous() != null) {
            LinuxNetdev old = open.get(event.previous().name());
            if (old != null) {
                old.link = null;
                changeSeqno++;
            }
        }
        if (dev == null) {
            return;
        }
        switch (event.change()) {
        case REMOVED:
            dev.link = null;
            break;
        case CARRIER_UP:
        case CARRIER_DOWN:
            dev.carrierResets++;
            dev.link = link;
            break;
        case ADDED:
        case CHANGED:
            dev.link = link;
            readDeviceInfo(dev);
            break;
        default:
            dev.link = link;
            break;
        }
        changeSeqno++;
    }

    /** Driver and link speed through ethtool, as netdev-linux reads them for the status columns. */
    private void readDeviceInfo(LinuxNetdev dev) {
        try {
            Ethtool.DriverInfo info = ethtool.driverInfo(dev.name);
            Map<String, String> status = new TreeMap<>();
            status.put("driver_name", info.driver());
            status.put("driver_version", info.version());
            status.put("firmware_version", info.firmwareVersion());
            dev.driverStatus = status;
        } catch (NativeException e) {
            dev.driverStatus = null;
        }
        try {
            Ethtool.LinkModes modes = ethtool.linkModes(dev.name);
            dev.speedBps = speedBps(modes.speed());
            dev.duplex = dev.speedBps == 0 ? null
                    : modes.speed() >= 10000 || modes.duplex() == 1 ? "full" : "half";
        } catch (IOException e) {
            dev.speedBps = 0;
            dev.duplex = null;
        }
    }

    /** The speeds netdev-linux maps to feature bits; any other speed is reported as unknown. */
    private static long speedBps(int mbps) {
        switch (mbps) {
        case 10:
        case 100:
        case 1000:
        case 10000:
        case 40000:
        case 100000:
        case 1000000:
            return mbps * 1_000_000L;
        default:
            return 0;
        }
    }

    /** One link dump for the statistics of every open device. */
    void refreshStats() {
        Map<Integer, long[]> byIndex = new HashMap<>();
        try {
            for (NlMsg m : rtnlSocket.dump(linkRequest(0))) {
                long[] v = parseStats(m);
                if (v != null) {
                    byIndex.put(m.u32(4), v);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not read device statistics: {}", e.getMessage());
            return;
        }
        for (LinuxNetdev dev : open.values()) {
            long[] v = dev.link == null ? null : byIndex.get(dev.link.ifindex());
            if (v != null && !Arrays.equals(v, dev.kernelStats)) {
                dev.kernelStats = v;
                changeSeqno++;
            }
        }
    }

    /**
     * The state and statistics of a device being opened, from one RTM_GETLINK, so that its first
     * report has them, as OVS's has. A device just created is not in the monitor's cache yet.
     */
    private void readLink(LinuxNetdev dev) {
        try {
            for (NlMsg m : rtnlSocket.transact(linkRequest(0).putString(RtLink.IFLA_IFNAME, dev.name))) {
                if (m.type() == Rtnetlink.RTM_NEWLINK) {
                    dev.link = RtLink.parse(m);
                    dev.kernelStats = parseStats(m);
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: could not read device state: {}", dev.name, e.getMessage());
        }
    }

    /** RTM_GETLINK for 'ifindex', or for every link (a dump) with 0. */
    private static NlMsgBuilder linkRequest(int ifindex) {
        return new NlMsgBuilder(Rtnetlink.RTM_GETLINK, 0).raw8(0).raw8(0).raw16(0).raw32(ifindex).raw32(0).raw32(0);
    }

    /** The IFLA_STATS64 counters of an RTM_NEWLINK message, or null. */
    private static long[] parseStats(NlMsg m) throws IOException {
        if (m.type() != Rtnetlink.RTM_NEWLINK) {
            return null;
        }
        NlAttr a = m.attrs(IFINFOMSG_SIZE).get(IFLA_STATS64);
        if (a == null || a.length() < STATS64_COUNTERS * 8) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.wrap(a.bytes()).order(ByteOrder.nativeOrder());
        long[] v = new long[STATS64_COUNTERS];
        for (int i = 0; i < STATS64_COUNTERS; i++) {
            v[i] = bb.getLong(i * 8);
        }
        return v;
    }

    /**
     * Closes the sockets. Open taps stay (they are persistent), as OVS leaves its devices when it
     * exits without --cleanup.
     */
    @Override
    public void close() {
        try {
            monitor.close();
        } catch (IOException e) {
            LOG.debug("closing the netdev monitor: {}", e.getMessage());
        }
        ethtool.close();
        genlSocket.close();
        rtnlSocket.close();
    }
}
