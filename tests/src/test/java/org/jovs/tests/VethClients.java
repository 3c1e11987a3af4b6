package org.jovs.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jovs.core.json.Json;
import org.jovs.tests.DaemonHarness.Result;

/**
 * Hosts plugged into the daemon's switch: each client is a network namespace of its own with one
 * end of a veth pair ("vc", with an IPv4 address, IPv6 off so that only the test's traffic
 * flows, and transmit offloads off), whose other end is in the daemon's namespace, up, for a bridge to take as a system port.
 *
 * <p>Every name carries a random suffix. {@link #close()} deletes the client namespaces, which
 * deletes the veth pairs with them, even if the test failed; devices left in the daemon's
 * namespace go with the harness's namespace.
 */
final class VethClients implements AutoCloseable {
    private final DaemonHarness h;
    private final String suffix = String.format(Locale.ROOT, "%05x", ThreadLocalRandom.current().nextInt(1 << 20));
    private final List<String> namespaces = new ArrayList<>();

    VethClients(DaemonHarness h) {
        this.h = h;
    }

    /** The client namespace of client 'i'. */
    String netns(int i) {
        return "jovsc-" + suffix + "-" + i;
    }

    /** The switch-side device of client 'i', in the daemon's namespace. */
    String port(int i) {
        return "jp" + suffix + "x" + i;
    }

    /** Creates client 'i' with address 'cidr' (e.g. 10.0.0.1/24) on its "vc" device. */
    void add(int i, String cidr) throws IOException, InterruptedException {
        String ns = netns(i);
        ok("ip", "netns", "add", ns);
        namespaces.add(ns);
        ok("ip", "-n", ns, "link", "set", "lo", "up");
        plug(i, cidr);
    }

    /** Makes client 'i''s veth pair (again, after {@link #unplug}), with address 'cidr' if not null. */
    void plug(int i, String cidr) throws IOException, InterruptedException {
        String ns = netns(i);
        ok("ip", "-n", h.netns(), "link", "add", port(i), "type", "veth", "peer", "name", "vc", "netns", ns);
        ok("ip", "netns", "exec", h.netns(), "sysctl", "-qw", "net.ipv6.conf." + port(i) + ".disable_ipv6=1");
        ok("ip", "-n", h.netns(), "link", "set", port(i), "up");
        ok("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.vc.disable_ipv6=1");
        ok("ip", "-n", ns, "link", "set", "vc", "up");
        // The userspace datapath cannot take frames whose checksum the sender left to the
        // hardware (and TSO's large segments): OVS's own tests turn transmit offloads off too.
        ok("ip", "netns", "exec", ns, "ethtool", "-K", "vc", "tx", "off");
        if (cidr != null) {
            ok("ip", "-n", ns, "addr", "add", cidr, "dev", "vc");
        }
    }

    /** Deletes client 'i''s veth pair. */
    void unplug(int i) throws IOException, InterruptedException {
        ok("ip", "-n", h.netns(), "link", "del", port(i));
    }

    /** The Ethernet address of client 'i''s device 'dev'. */
    String mac(int i, String dev) throws Exception {
        Result r = ok("ip", "-n", netns(i), "-j", "link", "show", "dev", dev);
        return (String) ((Map<?, ?>) ((List<?>) Json.parse(r.stdout)).get(0)).get("address");
    }

    /** Runs 'argv' in client 'i''s namespace. */
    Result exec(int i, int timeoutSec, String... argv) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns(i)));
        all.addAll(List.of(argv));
        return h.run(timeoutSec, all.toArray(new String[0]));
    }

    /** Pings 'ip' from client 'i' (3 echo requests, 2 s wait each); true if any answer came. */
    boolean ping(int i, String ip) throws IOException, InterruptedException {
        return exec(i, 20, "ping", "-c", "3", "-i", "0.2", "-W", "2", ip).status == 0;
    }

    /**
     * An ARP request for 'dstIp' from 'srcIp' in VLAN 'vid', sent tagged on client 'i''s "vc" as
     * a host on a trunk would, through vlan_arp.py (the kernel has no 8021q module for a VLAN
     * device); stdout says the VLAN of the reply, status 1 means none came.
     */
    Result vlanArp(int i, int vid, String srcIp, String dstIp) throws IOException, InterruptedException {
        Path script = h.dir().resolve("vlan_arp.py");
        if (!Files.exists(script)) {
            try (InputStream in = VethClients.class.getResourceAsStream("/vlan_arp.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        return exec(i, 20, "python3", script.toString(), "vc", Integer.toString(vid), srcIp, dstIp);
    }

    Result ok(String... argv) throws IOException, InterruptedException {
        Result r = h.run(30, argv);
        assertEquals(0, r.status, String.join(" ", argv) + ": " + r);
        return r;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String ns : namespaces) {
            h.run(30, "ip", "netns", "del", ns);
        }
    }
}
