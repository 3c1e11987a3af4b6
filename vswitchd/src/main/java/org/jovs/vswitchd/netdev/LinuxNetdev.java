package org.jovs.vswitchd.netdev;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import org.jovs.netlink.RtLink;
import org.jovs.netlink.Tap;

/**
 * A kernel network device, as OVS's netdev-linux sees it: its class ("system" for an existing
 * device, "tap" for a tap device this daemon created, which is what internal ports are on the
 * userspace datapath), and the kernel state the bridge reports: flags, carrier, MTU, address,
 * speed, driver and statistics.
 *
 * <p>Created and closed only by {@link LinuxNetdevs}, which keeps its state current from link
 * events and periodic statistics dumps. A tap device is persistent while open (it survives a
 * daemon crash, as OVS's do) and is removed when closed. Main thread only.
 */
public final class LinuxNetdev extends Netdev {
    /** The rtnl_link_stats64 counters OVS reports, in their order in that struct. */
    private static final String[] KERNEL_STATS = {
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "rx_multicast_packets", "collisions", null, "rx_over_err", "rx_crc_err", "rx_frame_err", null,
        "rx_missed_errors",
    };

    private final LinuxNetdevs owner;
    /** The tun device of a "tap" device, null for "system". */
    public final Tap tap;
    RtLink link;
    long carrierResets;
    /** The kernel's rtnl_link_stats64, or null before the first dump. */
    long[] kernelStats;
    /** Driver name, version and firmware version, or null if ethtool could not tell. */
    Map<String, String> driverStatus;
    /** Link speed in bit/s (0 if unknown) and "full"/"half" duplex (null if unknown). */
    long speedBps;
    String duplex;

    LinuxNetdev(LinuxNetdevs owner, String name, String type, Tap tap, RtLink link) {
        super(name, type);
        this.owner = owner;
        this.tap = tap;
        this.link = link;
    }

    @Override
    public boolean present() {
        return link != null;
    }

    @Override
    public int ifindex() {
        return link == null ? 0 : link.ifindex();
    }

    @Override
    public boolean isUp() {
        return link != null && link.isUp();
    }

    /** Carrier, as netdev-linux reports it: IFF_RUNNING. */
    @Override
    public boolean carrier() {
        return link != null && link.isRunning();
    }

    @Override
    public Long carrierResets() {
        return carrierResets;
    }

    @Override
    public int mtu() {
        return link == null ? 0 : Math.max(link.mtu(), 0);
    }

    @Override
    public String address() {
        return link == null ? null : link.address();
    }

    @Override
    public long speedBps() {
        return speedBps;
    }

    @Override
    public String duplex() {
        return duplex;
    }

    @Override
    public Map<String, String> status() {
        return driverStatus == null ? Map.of() : driverStatus;
    }

    @Override
    public void setMac(byte[] mac) throws IOException {
        owner.setMac(this, mac);
    }

    @Override
    public void setMtu(int mtu) throws IOException {
        owner.setMtu(this, mtu);
    }

    @Override
    public void setUp(boolean up) throws IOException {
        owner.setUp(this, up);
    }

    /**
     * The Interface statistics column: the kernel counters, with receive and transmit swapped
     * for taps (the kernel counts from the host's side, OVS from the switch's) and their
     * receive error details zeroed, as netdev_tap_get_stats() does. (The datapath adds the
     * frames it dropped itself.)
     */
    @Override
    public Map<String, Long> statistics() {
        Map<String, Long> out = new TreeMap<>();
        if (kernelStats == null) {
            return out;
        }
        boolean swap = tap != null;
        for (int i = 0; i < KERNEL_STATS.length; i++) {
            String key = KERNEL_STATS[i];
            if (key == null) {
                continue;
            }
            int from = i;
            if (swap && i < 8) {
                from = i ^ 1;
            }
            long v = kernelStats[from];
            if (swap && (key.equals("rx_over_err") || key.equals("rx_crc_err") || key.equals("rx_frame_err")
                    || key.equals("rx_missed_errors"))) {
                v = 0;
            }
            out.put(key, v);
        }
        return out;
    }
}
