package org.jovs.vswitchd.netdev;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jovs.core.PollLoop;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.vswitchd.odp.DummyPacket;

/**
 * The netdev-dummy devices of the daemon and the {@code netdev-dummy/*} commands that drive
 * them, as OVS's netdev_dummy_register(): receive (inject frames), set-admin-state, conn-state,
 * ip4addr and ip6addr. Devices get addresses aa:55:aa:55:00:00, :01, ... in the order they are
 * created, as netdev-dummy numbers them, so that tests can predict them.
 *
 * <p>Only present with {@code --enable-dummy}. Main thread only: the commands run in the main
 * loop's unixctl server, and frames they inject wait in the device's receive queue for the
 * datapath's next run, for which {@link #waitFor(PollLoop)} wakes the loop at once.
 */
public final class DummyNetdevs {
    private static final Pattern IPV4 = Pattern.compile(
            "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(?:(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})|(-?\\d+)))?");

    private final Map<String, DummyNetdev> devices = new LinkedHashMap<>();
    private final Runnable changed;
    private int nextMac = 0xaa550000;
    private boolean rxReady;

    /** 'changed' is told whenever a device's reported state changed. */
    DummyNetdevs(Runnable changed) {
        this.changed = changed;
    }

    DummyNetdev create(String name, String type) {
        long mac = (0xaa55L << 32) | (nextMac++ & 0xffffffffL);
        DummyNetdev dev = new DummyNetdev(this, name, type, mac);
        devices.put(name, dev);
        changed();
        return dev;
    }

    void destroy(DummyNetdev dev) {
        if (devices.remove(dev.name, dev)) {
            dev.destroy();
            changed();
        }
    }

    /** The open dummy device named 'name', or null. */
    public DummyNetdev get(String name) {
        return devices.get(name);
    }

    void changed() {
        changed.run();
    }

    void rxReady() {
        rxReady = true;
    }

    /** Runs the devices' wires. */
    void run() {
        for (DummyNetdev d : devices.values()) {
            d.run();
        }
    }

    /** Wakes the loop at once while injected frames wait, so that the datapath reads them. */
    public void waitFor(PollLoop loop) {
        for (DummyNetdev d : devices.values()) {
            d.waitFor(loop);
        }
        if (rxReady) {
            rxReady = false;
            for (DummyNetdev d : devices.values()) {
                if (d.hasRx()) {
                    loop.immediateWake();
                    return;
                }
            }
        }
    }

    /**
     * Registers the netdev-dummy/ commands. 'vlanLimit' gives other_config:vlan-limit, which
     * says how many VLAN headers a flow given to receive may have.
     */
    public void registerCommands(UnixctlServer server, IntSupplier vlanLimit) {
        server.register("netdev-dummy/receive", "name [--qid queue_id] packet|flow [--len packet_len]", 2,
                Integer.MAX_VALUE, (conn, args) -> {
                    DummyNetdev dev = devices.get(args.get(0));
                    if (dev == null) {
                        conn.replyError("no such dummy netdev");
                        return;
                    }
                    DummyPacket.Result r = DummyPacket.parse(args.toArray(new String[0]), 1, 1, vlanLimit.getAsInt());
                    for (DummyPacket.Packet p : r.packets()) {
                        dev.queue(p.frame());
                    }
                    if (r.error() != null) {
                        conn.replyError(r.error());
                    } else {
                        conn.reply(null);
                    }
                });
        server.register("netdev-dummy/set-admin-state", "[netdev] up|down", 1, 2, (conn, args) -> {
            String state = args.get(args.size() - 1);
            boolean up;
            if (state.equalsIgnoreCase("up")) {
                up = true;
            } else if (state.equalsIgnoreCase("down")) {
                up = false;
            } else {
                conn.replyError("Invalid Admin State");
                return;
            }
            if (args.size() > 1) {
                DummyNetdev dev = devices.get(args.get(0));
                if (dev == null) {
                    conn.replyError("Unknown Dummy Interface");
                    return;
                }
                dev.setUp(up);
            } else {
                devices.values().forEach(d -> d.setUp(up));
            }
            conn.reply("OK");
        });
        server.register("netdev-dummy/conn-state", "[netdev]", 0, 1, (conn, args) -> {
            StringBuilder sb = new StringBuilder();
            if (!args.isEmpty()) {
                DummyNetdev dev = devices.get(args.get(0));
                String state = dev == null ? null : dev.connState();
                sb.append(args.get(0)).append(": ").append(state == null ? "unknown" : state).append('\n');
            } else {
                for (DummyNetdev dev : devices.values()) {
                    String state = dev.connState();
                    if (state != null) {
                        sb.append(dev.name).append(": ").append(state).append('\n');
                    }
                }
            }
            conn.reply(sb.toString());
        });
        server.register("netdev-dummy/ip4addr", "[netdev] ipaddr/mask-prefix-len", 2, 2, (conn, args) -> {
            DummyNetdev dev = devices.get(args.get(0));
            if (dev == null) {
                conn.replyError("Unknown Dummy Interface");
                return;
            }
            String error = setIpv4(dev, args.get(1));
            if (error != null) {
                conn.replyError(error);
            } else {
                conn.reply("OK");
            }
        });
        server.register("netdev-dummy/ip6addr", "[netdev] ip6addr", 2, 2, (conn, args) -> {
            DummyNetdev dev = devices.get(args.get(0));
            if (dev == null) {
                conn.replyError("Unknown Dummy Interface");
                return;
            }
            String error = setIpv6(dev, args.get(1));
            if (error != null) {
                conn.replyError(error);
            } else {
                conn.reply("OK");
            }
        });
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** ip_parse_masked(): "A.B.C.D", "A.B.C.D/PLEN" or "A.B.C.D/M.M.M.M"; the error as OVS words it. */
    static String setIpv4(DummyNetdev dev, String s) {
        Matcher m = IPV4.matcher(s);
        if (!m.matches()) {
            return s + ": invalid IP address";
        }
        long ip = quad(m, 1);
        long mask = 0xffffffffL;
        if (m.group(5) != null) {
            mask = quad(m, 5);
        }
        if (ip < 0 || mask < 0) {
            return s + ": invalid IP address";
        }
        if (m.group(9) != null) {
            int plen = Integer.parseInt(m.group(9));
            if (plen < 0 || plen > 32) {
                return s + ": IPv4 network prefix bits not between 0 and 32, inclusive";
            }
            mask = plen == 0 ? 0 : (0xffffffffL << (32 - plen)) & 0xffffffffL;
        }
        dev.setIpv4((int) ip, (int) mask);
        return null;
    }

    /** The address in groups first..first+3, or -1 if a byte is out of range. */
    private static long quad(Matcher m, int first) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = Integer.parseInt(m.group(first + i));
            if (b > 255) {
                return -1;
            }
            v = (v << 8) | b;
        }
        return v;
    }

    /** ipv6_parse_cidr(): an IPv6 literal with an optional /PLEN. */
    static String setIpv6(DummyNetdev dev, String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.isEmpty() || !addr.contains(":") || !addr.matches("[0-9a-fA-F:.]+")) {
            return s + ": invalid IPv6 address";
        }
        byte[] bytes;
        try {
            // A literal (checked above), so no name lookup happens.
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            return s + ": invalid IPv6 address";
        }
        if (bytes.length != 16) {
            return s + ": invalid IPv6 address";
        }
        if (slash >= 0) {
            int plen;
            try {
                plen = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return s + ": invalid IPv6 address";
            }
            if (plen < 0 || plen > 128) {
                return s + ": IPv6 network prefix bits not between 0 and 128, inclusive";
            }
        }
        dev.setIpv6(bytes);
        return null;
    }
}
