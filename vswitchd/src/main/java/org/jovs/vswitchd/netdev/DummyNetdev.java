package org.jovs.vswitchd.netdev;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jovs.core.PollLoop;
import org.jovs.core.RateLimit;
import org.jovs.core.natives.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A netdev-dummy device, OVS's test device: no kernel behind it. Frames reach it through
 * {@code ovs-appctl netdev-dummy/receive} (see {@link DummyNetdevs}) into a receive queue that the
 * datapath reads; frames sent to it are counted and, with {@code options:tx_pcap}, appended to a
 * pcap file, and with {@code options:pstream} or {@code options:stream} they travel to other
 * dummy devices ({@link DummyPacketConn}). It keeps what netdev-dummy keeps: an address (aa:55:aa:55:xx:xx, from a counter),
 * MTU 1500, the up and promiscuous flags, an optional IPv4 and IPv6 address (with which it
 * answers ARP requests for that address, as netdev-dummy does), rx/tx packet and byte counters
 * and the per-queue custom counters the Interface statistics column shows.
 *
 * <p>Its carrier is always up (netdev-dummy has no carrier of its own). The receive queue holds
 * at most {@link #MAX_QUEUE} frames, as NETDEV_DUMMY_MAX_QUEUE; more are dropped, and nothing is
 * queued while no datapath reads the device. Main thread only.
 */
public final class DummyNetdev extends Netdev {
    /** NETDEV_DUMMY_MAX_QUEUE: frames waiting in the receive queue at most. */
    public static final int MAX_QUEUE = 100;
    private static final Logger LOG = LoggerFactory.getLogger("netdev_dummy");
    private static final RateLimit RL = new RateLimit(5, 20);
    private static final int ETH_HEADER_LEN = 14;
    private static final int VLAN_HEADER_LEN = 4;
    private static final int MIN_MTU = 68;
    private static final int MAX_MTU = 65535;
    private static final int EINVAL = 22;

    private final DummyNetdevs owner;
    private long mac;
    private int mtu = 1500;
    private boolean up = true;
    private boolean promisc;
    private int ifindex;
    private int ipv4;
    private int ipv4Mask;
    private byte[] ipv6;
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    /** Frames queued for the datapath, or null while no datapath reads this device. */
    private ArrayDeque<byte[]> rxQueue;
    private PcapWriter rxPcap;
    private PcapWriter txPcap;
    private Map<String, String> pcapOptions = Map.of();
    /** The wire to other dummy devices (options pstream or stream), or null. */
    private DummyPacketConn conn;

    DummyNetdev(DummyNetdevs owner, String name, String type, long mac) {
        super(name, type);
        this.owner = owner;
        this.mac = mac;
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public boolean carrier() {
        return true;
    }

    @Override
    public Long carrierResets() {
        return null;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public String address() {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", (mac >> 40) & 0xff, (mac >> 32) & 0xff,
                (mac >> 24) & 0xff, (mac >> 16) & 0xff, (mac >> 8) & 0xff, mac & 0xff);
    }

    /** The address as the low 48 bits of a long. */
    public long mac() {
        return mac;
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    @Override
    public long speedBps() {
        return 0;
    }

    @Override
    public String duplex() {
        return null;
    }

    @Override
    public Map<String, String> status() {
        return Map.of();
    }

    /** The four counters netdev-dummy keeps, then its custom ones (one receive and one transmit queue). */
    @Override
    public Map<String, Long> statistics() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("rx_packets", rxPackets);
        out.put("tx_packets", txPackets);
        out.put("rx_bytes", rxBytes);
        out.put("tx_bytes", txBytes);
        out.put("rx_custom_packets_1", rxPackets);
        out.put("rx_custom_packets_2", rxPackets);
        out.put("rx_q0_bytes", rxBytes);
        out.put("rx_q0_packets", rxPackets);
        out.put("tx_q0_bytes", txBytes);
        out.put("tx_q0_packets", txPackets);
        return out;
    }

    @Override
    public void setMac(byte[] b) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        if (v != mac) {
            mac = v;
            owner.changed();
        }
    }

    @Override
    public void setUp(boolean up) {
        if (this.up != up) {
            this.up = up;
            owner.changed();
        }
    }

    /** netdev_dummy_set_mtu(): EINVAL outside 68..65535. */
    @Override
    public void setMtu(int mtu) throws IOException {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IOException(Native.strerror(EINVAL));
        }
        if (this.mtu != mtu) {
            this.mtu = mtu;
            owner.changed();
        }
    }

    void setPromisc(boolean on) {
        promisc = on;
    }

    boolean promisc() {
        return promisc;
    }

    /** netdev-dummy/ip4addr. */
    void setIpv4(int addr, int mask) {
        ipv4 = addr;
        ipv4Mask = mask;
        owner.changed();
    }

    /** netdev-dummy/ip6addr. */
    void setIpv6(byte[] addr) {
        ipv6 = addr.clone();
        owner.changed();
    }

    int ipv4Mask() {
        return ipv4Mask;
    }

    /**
     * Applies the options netdev-dummy reads: ifindex, and pcap (both directions), or rxq_pcap
     * and tx_pcap. Files are reopened only when their option changed.
     */
    @Override
    public void setOptions(Map<String, String> options) {
        ifindex = parseInt(options.get("ifindex"), 0);
        Map<String, String> pcaps = new LinkedHashMap<>();
        for (String k : new String[] {"pcap", "rxq_pcap", "tx_pcap"}) {
            if (options.containsKey(k)) {
                pcaps.put(k, options.get(k));
            }
        }
        if (!pcaps.equals(pcapOptions)) {
            pcapOptions = pcaps;
            closePcaps();
            String both = pcaps.get("pcap");
            if (both != null) {
                rxPcap = openPcap(both);
                txPcap = rxPcap;
            } else {
                rxPcap = pcaps.containsKey("rxq_pcap") ? openPcap(pcaps.get("rxq_pcap")) : null;
                txPcap = pcaps.containsKey("tx_pcap") ? openPcap(pcaps.get("tx_pcap")) : null;
            }
        }
        configureConn(options.get("pstream"), options.get("stream"));
        owner.changed();
    }

    /** As dummy_packet_conn_set_config(): a changed pstream or stream replaces the connection. */
    private void configureConn(String pstream, String stream) {
        if (pstream != null && stream != null) {
            LOG.warn("Open failed: both {} and {} are configured", pstream, stream);
            return;
        }
        String target = pstream != null ? pstream : stream;
        if (conn != null && conn.target().equals(target) && conn.passive() == (pstream != null)) {
            return;
        }
        if (conn != null) {
            conn.close();
            conn = null;
        }
        if (target != null) {
            conn = DummyPacketConn.open(target, pstream != null);
        }
    }

    /** "connected" or "disconnected" for a device that connects to a peer; null (unknown) otherwise. */
    String connState() {
        if (conn == null || conn.passive()) {
            return null;
        }
        return conn.connected() ? "connected" : "disconnected";
    }

    /** The device's wire: frames from peers are received as if injected. */
    void run() {
        if (conn != null) {
            conn.run(this::queue);
        }
    }

    void waitFor(PollLoop loop) {
        if (conn != null) {
            conn.waitFor(loop);
        }
    }

    private static int parseInt(String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static PcapWriter openPcap(String file) {
        try {
            return PcapWriter.open(Path.of(file));
        } catch (IOException e) {
            LOG.warn("{}: failed to open pcap file for appending ({})", file, e.getMessage());
            return null;
        }
    }

    private void closePcaps() {
        if (rxPcap != null) {
            rxPcap.close();
        }
        if (txPcap != null && txPcap != rxPcap) {
            txPcap.close();
        }
        rxPcap = null;
        txPcap = null;
    }

    /** A datapath starts reading this device: from now on received frames are queued. */
    public void openRx() {
        if (rxQueue == null) {
            rxQueue = new ArrayDeque<>();
        }
    }

    /** The datapath stops reading: queued frames are dropped. */
    public void closeRx() {
        rxQueue = null;
    }

    /**
     * Queues 'frame' as received, as netdev_dummy_queue_packet(): it goes to rxq_pcap, then to the
     * receive queue if a datapath reads this device and the queue has room; else it is dropped.
     */
    public void queue(byte[] frame) {
        writePcap(rxPcap, frame, frame.length);
        if (rxQueue != null && rxQueue.size() < MAX_QUEUE) {
            rxQueue.add(frame);
            owner.rxReady();
        }
    }

    /** True if frames wait in the receive queue. */
    public boolean hasRx() {
        return rxQueue != null && !rxQueue.isEmpty();
    }

    /** Takes the next queued frame into 'buf': its length, or -1 if none waits. */
    public int receive(byte[] buf) {
        byte[] f = rxQueue == null ? null : rxQueue.poll();
        if (f == null) {
            return -1;
        }
        int n = Math.min(f.length, buf.length);
        System.arraycopy(f, 0, buf, 0, n);
        rxPackets++;
        rxBytes += n;
        return n;
    }

    /**
     * Sends 'frame[0..len)' as netdev_dummy_send(): refused (false) if shorter than an Ethernet
     * header or longer than the MTU allows; else counted, written to tx_pcap, and an ARP
     * request for the device's IPv4 address is answered into the receive queue.
     */
    public boolean send(byte[] frame, int len) {
        if (len < ETH_HEADER_LEN) {
            return false;
        }
        int max = mtu + ETH_HEADER_LEN;
        int ethType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        if (ethType == 0x8100) {
            max += VLAN_HEADER_LEN;
        }
        if (len > max) {
            return false;
        }
        txPackets++;
        txBytes += len;
        if (conn != null) {
            conn.send(frame, len);
        }
        if (ipv4 != 0) {
            byte[] reply = arpReply(frame, len);
            if (reply != null) {
                queue(reply);
            }
        }
        writePcap(txPcap, frame, len);
        return true;
    }

    /**
     * The reply to 'frame' if it is an untagged ARP request for this device's IPv4 address, as
     * netdev-dummy composes it (compose_arp(): 42 bytes, to the requester, from this device).
     */
    private byte[] arpReply(byte[] f, int len) {
        if (len < 42 || (f[12] & 0xff) != 0x08 || (f[13] & 0xff) != 0x06 || f[20] != 0 || f[21] != 1
                || getInt(f, 38) != ipv4) {
            return null;
        }
        byte[] r = new byte[42];
        System.arraycopy(f, 6, r, 0, 6);
        putMac(r, 6, mac);
        r[12] = 0x08;
        r[13] = 0x06;
        r[15] = 1;
        r[16] = 0x08;
        r[18] = 6;
        r[19] = 4;
        r[21] = 2;
        putMac(r, 22, mac);
        System.arraycopy(f, 38, r, 28, 4);
        System.arraycopy(f, 6, r, 32, 6);
        System.arraycopy(f, 28, r, 38, 4);
        return r;
    }

    private static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static void putMac(byte[] b, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            b[off + i] = (byte) (mac >> (40 - 8 * i));
        }
    }

    private void writePcap(PcapWriter w, byte[] frame, int len) {
        if (w == null) {
            return;
        }
        try {
            w.write(frame, len);
        } catch (IOException e) {
            if (RL.admit(LOG, Level.WARN)) {
                LOG.warn("{}: failed to write pcap record ({})", name, e.getMessage());
            }
        }
    }

    /** Closes the pcap files and the wire; the device is gone. */
    void destroy() {
        closePcaps();
        if (conn != null) {
            conn.close();
            conn = null;
        }
        rxQueue = null;
    }

    @Override
    public String toString() {
        return Objects.toString(name);
    }
}
