package org.jovs.vswitchd.netdev;

import java.io.IOException;
import java.util.Map;

/**
 * One network device opened for a bridge port, as OVS's struct netdev: a name, a netdev class
 * (its {@link #type}, as dpif/show prints it) and the state the bridge reports (flags, carrier,
 * MTU, address, speed, driver status, statistics). Two providers implement it:
 * {@link LinuxNetdev} (netdev-linux: "system" devices and the "tap" devices internal ports are
 * on) and {@link DummyNetdev} (netdev-dummy, OVS's test device, which needs no kernel).
 *
 * <p>Opened and closed only through {@link Netdevs}, which picks the provider for a type. Main
 * thread only. Setting the address or the flags may ask the kernel (rtnetlink) for a linux
 * device; a dummy device answers at once.
 */
public abstract class Netdev {
    public final String name;
    /** The netdev class: "system", "tap", "dummy", "dummy-internal", ... */
    public final String type;
    /** The counters at the last statistics sample, which {@link Netdevs} takes. */
    Map<String, Long> sampled = Map.of();

    protected Netdev(String name, String type) {
        this.name = name;
        this.type = type;
    }

    /** True while the device exists (a system device can vanish under an open port). */
    public abstract boolean present();

    /** Administratively up (IFF_UP). */
    public abstract boolean isUp();

    /** Carrier, as the link_state column shows it. */
    public abstract boolean carrier();

    /** How often the carrier changed, or null if the device cannot tell. */
    public abstract Long carrierResets();

    /** The MTU, or 0 if unknown. */
    public abstract int mtu();

    /** The Ethernet address as "xx:xx:xx:xx:xx:xx", or null if the device has none. */
    public abstract String address();

    /** The kernel's interface index, 0 if the device has none (as the ifindex column shows it). */
    public abstract int ifindex();

    /** Link speed in bit/s, 0 if unknown. */
    public abstract long speedBps();

    /** "full", "half", or null if unknown. */
    public abstract String duplex();

    /** The Interface status column's driver part (driver_name, ...), empty if the device cannot tell. */
    public abstract Map<String, String> status();

    /** The Interface statistics column: only the counters the device keeps. */
    public abstract Map<String, Long> statistics();

    /** {@link #statistics()} as last sampled: what the Interface statistics column shows. */
    public Map<String, Long> sampledStatistics() {
        return sampled;
    }

    /** Sets the Ethernet address to the 6 bytes of 'mac'. */
    public abstract void setMac(byte[] mac) throws IOException;

    /** Sets the MTU, as Interface mtu_request asks; fails with the errno's text. */
    public abstract void setMtu(int mtu) throws IOException;

    /** Brings the device administratively up or down. */
    public abstract void setUp(boolean up) throws IOException;

    /** Applies the Interface options column (the dummy device's pcap files and streams); others ignore it. */
    public void setOptions(Map<String, String> options) {
    }
}
