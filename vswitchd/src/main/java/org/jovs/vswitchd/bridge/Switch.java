package org.jovs.vswitchd.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jovs.core.Memory;
import org.jovs.core.PollLoop;
import org.jovs.core.RateLimit;
import org.jovs.core.natives.Native;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.vswitchd.config.SwitchConfig;
import org.jovs.vswitchd.config.SwitchConfig.BridgeConfig;
import org.jovs.vswitchd.config.SwitchConfig.PortConfig;
import org.jovs.vswitchd.netdev.DummyNetdevs;
import org.jovs.vswitchd.netdev.Netdev;
import org.jovs.vswitchd.netdev.Netdevs;
import org.jovs.vswitchd.netdev.Netdevs.DummyLevel;
import org.jovs.vswitchd.ofproto.Ofproto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All the bridges of the daemon, brought in line with a {@link SwitchConfig} by
 * {@link #reconfigure}, as OVS's bridge_reconfigure(): bridges and ports that are gone are
 * deleted first, then missing ones are created, and what did not change is left alone. The status
 * the database shows (Interface, Bridge and Controller columns) is read back with
 * {@link #interfaceStatus()} and friends, whoever the configuration came from.
 *
 * <p>Main-loop contract: {@link #run()} follows device events and statistics, without blocking;
 * {@link #waitFor(PollLoop)} registers them. {@link #statusSeqno()} moves whenever the status may
 * have changed, and {@link #devicesChanged()} asks for a reconfiguration when devices appeared (a
 * port whose device was missing may now open). Main thread only. Owns the bridges, the
 * userspace datapaths (one per datapath type in use, each shared by the bridges of that type)
 * and the {@link Netdevs}.
 */
public final class Switch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("bridge");
    private static final Logger OFPROTO_LOG = LoggerFactory.getLogger("ofproto");
    private static final int EAFNOSUPPORT = 97;
    private static final int EINVAL = 22;
    private static final int DEFAULT_VLAN_LIMIT = 1;
    private static final RateLimit CONFIG_RL = new RateLimit(1, 5);

    /** What the Interface table shows about one configured interface. Null means an empty column. */
    public record InterfaceStatus(String key, String name, long ofport, String error, String adminState,
            String linkState, Long linkResets, Long linkSpeed, String duplex, Long mtu, String macInUse, Long ifindex,
            Map<String, Long> statistics, Map<String, String> status) {
    }

    /** What the Bridge table shows about one bridge. */
    public record BridgeStatus(String key, String name, String datapathId, String datapathVersion) {
    }

    /** What the Controller table shows: is_connected, role and status (OVS's state, sec_since_...). */
    public record ControllerStatus(String key, String target, boolean connected, String role,
            Map<String, String> status) {
    }

    private final Netdevs netdevs;
    private final DummyLevel dummyLevel;
    private final boolean disableSystem;
    private final boolean selfConfine;
    private final Map<String, Bridge> bridges = new TreeMap<>();
    /** The userspace datapaths, by datapath type, each open while it has bridges. */
    private final Map<String, NetdevDatapath> datapaths = new TreeMap<>();
    private long reconfigurations;
    private final List<String> errors = new ArrayList<>();
    /** Open_vSwitch other_config:vlan-limit: VLAN headers the datapath parses (0: as many as it can). */
    private int vlanLimit = DEFAULT_VLAN_LIMIT;

    private final Consumer<Map<String, Long>> memoryReporter = this::reportMemory;

    /**
     * A switch on 'netdevs'; 'dummyLevel' is what --enable-dummy asked for (which datapath types
     * are dummy datapaths), 'disableSystem' is --disable-system (no "system" datapath type),
     * 'selfConfine' is false with --no-self-confinement (Unix socket controllers anywhere).
     */
    public Switch(Netdevs netdevs, DummyLevel dummyLevel, boolean disableSystem, boolean selfConfine) {
        this.netdevs = netdevs;
        this.dummyLevel = dummyLevel;
        this.disableSystem = disableSystem;
        this.selfConfine = selfConfine;
        Memory.addReporter(memoryReporter);
    }

    /** A switch on the devices of the calling thread's network namespace. */
    public static Switch open(DummyLevel dummyLevel, boolean disableSystem, boolean selfConfine) throws IOException {
        return new Switch(Netdevs.open(dummyLevel), dummyLevel, disableSystem, selfConfine);
    }

    /** Closes the device layer; bridges and their devices stay, as when OVS exits without --cleanup. */
    @Override
    public void close() {
        Memory.removeReporter(memoryReporter);
        datapaths.values().forEach(NetdevDatapath::stopPackets);
        netdevs.close();
    }

    /** The figure OVS's ofproto gives memory/show: the number of ports of every bridge. */
    private void reportMemory(Map<String, Long> usage) {
        long ports = 0;
        for (Bridge br : bridges.values()) {
            ports += br.ifaces().size();
        }
        usage.merge("ports", ports, Long::sum);
    }

    /**
     * Applies 'cfg', changing only what differs from what is running. A new interface without
     * a requested port number gets back the number 'previousOfports' gives for its key, if any,
     * so that numbers survive a restart, as OVS takes them from the Interface ofport column.
     */
    public void reconfigure(SwitchConfig cfg, Function<String, Long> previousOfports) {
        reconfigurations++;
        errors.clear();
        netdevs.setStatsInterval(statsInterval(cfg.otherConfig().get("stats-update-interval")));
        vlanLimit = vlanLimit(cfg.otherConfig().get("vlan-limit"));
        Map<String, BridgeConfig> wanted = new LinkedHashMap<>();
        for (BridgeConfig b : cfg.bridges()) {
            // A name with a slash or backslash could make its management socket anywhere.
            if (b.name().isEmpty() || b.name().contains("/") || b.name().contains("\\")) {
                if (CONFIG_RL.admit(LOG, org.slf4j.event.Level.WARN)) {
                    LOG.warn("ignoring bridge with invalid name \"{}\"", b.name());
                }
            } else if (wanted.putIfAbsent(b.name(), b) != null) {
                LOG.warn("bridge {} specified twice", b.name());
            }
        }

        for (Bridge br : new ArrayList<>(bridges.values())) {
            BridgeConfig b = wanted.get(br.name);
            if (b == null || !normalizeType(b.datapathType()).equals(br.datapath().type())) {
                br.destroy(true);
                bridges.remove(br.name);
            }
        }
        Map<String, Map<String, PortConfig>> wantedPorts = new LinkedHashMap<>();
        for (BridgeConfig b : wanted.values()) {
            wantedPorts.put(b.name(), collectPorts(b));
        }
        for (Bridge br : bridges.values()) {
            br.deletePorts(wanted.get(br.name), wantedPorts.get(br.name));
        }
        for (BridgeConfig b : wanted.values()) {
            if (!bridges.containsKey(b.name())) {
                createBridge(b);
            }
        }
        long bundleIdleTimeout = bundleIdleTimeout(cfg.otherConfig().get("bundle-idle-timeout"));
        for (Bridge br : bridges.values()) {
            br.ofproto().setBundleIdleTimeout(bundleIdleTimeout);
            br.addPorts(wantedPorts.get(br.name), previousOfports);
            for (Bridge.Iface failed : br.failedIfaces().values()) {
                errors.add(failed.error);
            }
        }
        closeUnusedDatapaths(true);
    }

    /** Closes every datapath that no bridge uses any more; with 'delete', their devices go too. */
    private void closeUnusedDatapaths(boolean delete) {
        for (NetdevDatapath dp : new ArrayList<>(datapaths.values())) {
            if (bridges.values().stream().noneMatch(br -> br.datapath() == dp)) {
                dp.close(delete);
                datapaths.remove(dp.type());
            }
        }
    }

    /** A datapath type as ofproto_normalize_type(): empty means "system". */
    private static String normalizeType(String type) {
        return type.isEmpty() ? "system" : type;
    }

    /** other_config:vlan-limit as OVS reads it: a number from 0, else the default 1. */
    private static int vlanLimit(String value) {
        try {
            int v = value == null ? DEFAULT_VLAN_LIMIT : Integer.parseInt(value.trim());
            return v >= 0 ? v : DEFAULT_VLAN_LIMIT;
        } catch (NumberFormatException e) {
            return DEFAULT_VLAN_LIMIT;
        }
    }

    /**
     * other_config:bundle-idle-timeout in ms, as OVS reads it: whole seconds, where 0 or what is
     * not an unsigned number means the default of 10 s.
     */
    private static long bundleIdleTimeout(String value) {
        long secs = 0;
        try {
            secs = value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            // The default, as smap_get_uint() gives for what it cannot parse.
        }
        return secs > 0 && secs <= 0xffffffffL ? secs * 1000 : Ofproto.BUNDLE_IDLE_TIMEOUT_DEFAULT;
    }

    private static long statsInterval(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, PortConfig> collectPorts(BridgeConfig b) {
        Map<String, PortConfig> ports = new LinkedHashMap<>();
        for (PortConfig p : b.ports()) {
            if (ports.putIfAbsent(p.name(), p) != null) {
                LOG.warn("bridge {}: {} specified twice as bridge port", b.name(), p.name());
            }
        }
        return ports;
    }

    private void createBridge(BridgeConfig b) {
        String type = normalizeType(b.datapathType());
        String error;
        Boolean dummy = isDummyDatapath(type);
        if (dummy != null) {
            try {
                NetdevDatapath dp = datapaths.get(type);
                if (dp == null) {
                    dp = NetdevDatapath.open(type, dummy, netdevs);
                    datapaths.put(type, dp);
                }
                bridges.put(b.name(), Bridge.create(b, netdevs, dp, selfConfine));
                return;
            } catch (Netdevs.OpenException e) {
                error = e.getMessage();
            }
        } else if (type.equals("system") && !disableSystem) {
            // The kernel datapath is not implemented yet: OVS without the kernel module says this.
            error = Native.strerror(Native.ENOENT);
            OFPROTO_LOG.error("failed to open datapath {}: {}", b.name(), error);
        } else {
            OFPROTO_LOG.warn("could not create datapath {} of unknown type {}", b.name(), type);
            error = Native.strerror(EAFNOSUPPORT);
        }
        LOG.error("failed to create bridge {}: {}", b.name(), error);
        errors.add("failed to create bridge " + b.name() + ": " + error);
    }

    /**
     * Whether datapath type 'type' is served by a dummy userspace datapath (true), by the real
     * userspace datapath (false), or by neither (null), as --enable-dummy registers the dummy
     * dpif under "dummy" and, with =system or =override, under the types it overrides.
     */
    private Boolean isDummyDatapath(String type) {
        switch (type) {
        case "netdev":
            return dummyLevel == DummyLevel.OVERRIDE;
        case "dummy":
            return dummyLevel == DummyLevel.DISABLED ? null : true;
        case "system":
            return dummyLevel == DummyLevel.SYSTEM || dummyLevel == DummyLevel.OVERRIDE ? true : null;
        default:
            return null;
        }
    }

    /**
     * Drops every bridge. With 'deleteDevices' (exit --cleanup) the devices the bridges made are
     * deleted; without (the database lock went to another daemon) they stay for it, as OVS.
     */
    public void destroyAll(boolean deleteDevices) {
        for (Bridge br : bridges.values()) {
            br.destroy(deleteDevices);
        }
        bridges.clear();
        closeUnusedDatapaths(deleteDevices);
        reconfigurations++;
    }

    /** The errors of the last reconfiguration: bridges that could not be created, ports that could not be opened. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** True (once) if devices appeared since the last call: time to reconfigure. */
    public boolean devicesChanged() {
        return netdevs.devicesChanged();
    }

    /** Moves whenever the status may have changed. */
    public long statusSeqno() {
        long seqno = reconfigurations + netdevs.changeSeqno();
        for (Bridge br : bridges.values()) {
            seqno += br.ofproto().statusSeqno();
        }
        return seqno;
    }

    public void run() {
        netdevs.run();
        datapaths.values().forEach(NetdevDatapath::run);
        for (Bridge br : bridges.values()) {
            br.run();
        }
    }

    public void waitFor(PollLoop loop) {
        netdevs.waitFor(loop);
        for (NetdevDatapath dp : datapaths.values()) {
            dp.waitFor(loop);
        }
        for (Bridge br : bridges.values()) {
            br.waitFor(loop);
        }
    }

    /** The status of every configured interface: open ones, and those that failed with their error. */
    public List<InterfaceStatus> interfaceStatus() {
        List<InterfaceStatus> out = new ArrayList<>();
        for (Bridge br : bridges.values()) {
            for (Bridge.Port port : br.ports().values()) {
                for (Bridge.Iface iface : port.ifaces) {
                    if (iface.cfg != null) {
                        out.add(openStatus(iface, br.datapath()));
                    }
                }
            }
            for (Bridge.Iface iface : br.failedIfaces().values()) {
                out.add(new InterfaceStatus(iface.cfg.key(), iface.name, -1, iface.error, null, null, null, null, null,
                        null, null, null, Map.of(), Map.of()));
            }
        }
        return out;
    }

    private static InterfaceStatus openStatus(Bridge.Iface iface, NetdevDatapath dp) {
        Netdev dev = iface.netdev;
        boolean present = dev.present();
        return new InterfaceStatus(iface.cfg.key(), iface.name, iface.ofport, null,
                present ? (dev.isUp() ? "up" : "down") : null,
                dev.carrier() ? "up" : "down",
                dev.carrierResets(),
                dev.speedBps() > 0 ? dev.speedBps() : null,
                dev.speedBps() > 0 ? dev.duplex() : null,
                present && dev.mtu() > 0 ? (long) dev.mtu() : null,
                present ? dev.address() : null,
                (long) dev.ifindex(),
                BridgePorts.withDrops(dev.sampledStatistics(), dev, dp),
                dev.status());
    }

    /** The status of every bridge that exists. */
    public List<BridgeStatus> bridgeStatus() {
        List<BridgeStatus> out = new ArrayList<>();
        for (Bridge br : bridges.values()) {
            out.add(new BridgeStatus(br.config().key(), br.name, String.format("%016x", br.datapathId()), "<built-in>"));
        }
        return out;
    }

    /** The status of every controller of every bridge. */
    public List<ControllerStatus> controllerStatus() {
        List<ControllerStatus> out = new ArrayList<>();
        for (Bridge br : bridges.values()) {
            for (Ofproto.ControllerState c : br.ofproto().controllerStates()) {
                out.add(new ControllerStatus(c.key(), c.target(), c.connected(), c.role(), c.status()));
            }
        }
        return out;
    }

    /**
     * Registers dpif/show, the fdb/ commands, bridge/reconnect, ofproto/list and
     * bridge/dump-flows, with OVS 3.1's output.
     */
    public void registerCommands(UnixctlServer server) {
        server.register("ofproto/list", "", 0, 0, (conn, args) -> {
            StringBuilder sb = new StringBuilder();
            bridges.keySet().forEach(n -> sb.append(n).append('\n'));
            conn.reply(sb.toString());
        });
        server.register("bridge/dump-flows", "[--offload-stats] bridge", 1, 2, (conn, args) -> {
            Bridge br = bridges.get(args.get(args.size() - 1));
            if (br == null) {
                conn.replyError("Unknown bridge");
                return;
            }
            conn.reply(br.ofproto().dumpFlows());
        });
        server.register("dpif/show", "", 0, 0, (conn, args) -> conn.reply(dpifShow()));
        server.register("dpctl/del-if", "dp iface...", 2, Integer.MAX_VALUE, (conn, args) -> {
            String error = deleteDatapathPorts(args);
            if (error == null) {
                conn.reply(null);
            } else {
                conn.replyError(error);
            }
        });
        FdbCommands.register(server, bridges::get, bridges::values);
        DummyNetdevs dummies = netdevs.dummies();
        if (dummies != null) {
            dummies.registerCommands(server, () -> vlanLimit);
        }
        server.register("bridge/reconnect", "[bridge]", 0, 1, (conn, args) -> {
            if (!args.isEmpty() && !bridges.containsKey(args.get(0))) {
                conn.replyError("Unknown bridge");
                return;
            }
            for (Bridge br : bridges.values()) {
                if (args.isEmpty() || br.name.equals(args.get(0))) {
                    br.ofproto().reconnectControllers();
                }
            }
            conn.reply(null);
        });
    }

    /** The text of dpif/show: every datapath, by type, with its bridges and their ports by name. */
    String dpifShow() {
        StringBuilder sb = new StringBuilder();
        for (NetdevDatapath dp : datapaths.values()) {
            sb.append(dp.fullName()).append(": ").append(dp.lookupStats()).append('\n');
            for (Bridge br : bridges.values()) {
                if (br.datapath() != dp) {
                    continue;
                }
                sb.append("  ").append(br.name).append(":\n");
                Map<String, Bridge.Iface> sorted = new TreeMap<>(br.ifaces());
                for (Bridge.Iface iface : sorted.values()) {
                    sb.append("    ").append(iface.name).append(' ').append(iface.ofport).append('/')
                            .append(iface.dpPort).append(": (").append(iface.netdev.type).append(")\n");
                }
            }
        }
        return sb.toString();
    }

    /**
     * dpctl/del-if DP PORT...: deletes ports from datapath DP behind their bridges' backs; each
     * bridge drops its port until it reconfigures, as OVS's. Returns the error text, or null.
     */
    private String deleteDatapathPorts(List<String> args) {
        NetdevDatapath dp = null;
        for (NetdevDatapath d : datapaths.values()) {
            if (d.fullName().equals(args.get(0))) {
                dp = d;
            }
        }
        if (dp == null) {
            return "opening datapath (" + Native.strerror(Native.ENOENT) + ")\n";
        }
        StringBuilder errors = new StringBuilder();
        for (String name : args.subList(1, args.size())) {
            int number = dp.portNumber(name);
            if (number < 0) {
                errors.append("no port named ").append(name).append('\n');
                continue;
            }
            boolean deleted = false;
            for (Bridge br : bridges.values()) {
                if (br.datapath() == dp && br.datapathPortDeleted(name)) {
                    deleted = true;
                }
            }
            if (!deleted) {
                errors.append("deleting port ").append(name).append(" from ").append(args.get(0))
                        .append(" failed (").append(Native.strerror(EINVAL)).append(")\n");
            }
        }
        return errors.length() == 0 ? null : errors.toString();
    }
}
