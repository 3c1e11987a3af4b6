package org.jovs.vswitchd.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jovs.core.PollLoop;
import org.jovs.core.RateLimit;
import org.jovs.core.natives.Native;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.netlink.SystemStats;
import org.jovs.vswitchd.bridge.Switch;
import org.jovs.vswitchd.bridge.Switch.BridgeStatus;
import org.jovs.vswitchd.bridge.Switch.ControllerStatus;
import org.jovs.vswitchd.bridge.Switch.InterfaceStatus;
import org.jovs.vswitchd.config.SwitchConfig.BridgeConfig;
import org.jovs.vswitchd.config.SwitchConfig.ControllerConfig;
import org.jovs.vswitchd.config.SwitchConfig.InterfaceConfig;
import org.jovs.vswitchd.config.SwitchConfig.PortConfig;
import org.jovs.vswitchd.ovsdb.Datum;
import org.jovs.vswitchd.ovsdb.Idl;
import org.jovs.vswitchd.ovsdb.Idl.Row;
import org.jovs.vswitchd.ovsdb.JsonRpcSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the switch from OVSDB, as OVS's bridge_run(): replicates the Open_vSwitch database through
 * an {@link Idl}, holds the "ovs_vswitchd" lock (while another daemon holds it, this one keeps no
 * bridges), reconfigures the {@link Switch} whenever the configuration changed, and writes back
 * the status columns and Open_vSwitch cur_cfg, so that {@code ovs-vsctl} without --no-wait
 * returns once the change is in effect.
 *
 * <p>Main-loop contract: {@link #run()} and {@link #waitFor(PollLoop)} drive the database
 * connection, the switch and the system statistics; nothing blocks. Only columns whose value
 * changed are written. When the database goes away the bridges stay as they are; after it comes
 * back, the configuration is compared again and every status column rewritten. Owns the Idl and
 * the system statistics, and the switch it is given.
 */
public final class DatabaseConfig implements ConfigRunner {
    private static final Logger LOG = LoggerFactory.getLogger("bridge");
    private static final String DATABASE = "Open_vSwitch";
    public static final String LOCK = "ovs_vswitchd";
    private static final RateLimit CONTENDED_RL = new RateLimit(1, 1);

    /** The columns the daemon reads, by table (OVS also monitors those it writes; it need not). */
    static final Map<String, List<String>> MONITORED = Map.of(
            "Open_vSwitch", List.of("bridges", "other_config", "next_cfg"),
            "Bridge", List.of("name", "datapath_type", "fail_mode", "protocols", "other_config", "controller", "ports"),
            "Port", List.of("name", "interfaces", "tag", "trunks"),
            "Interface", List.of("name", "type", "ofport_request", "ofport", "options", "mtu_request"),
            "Controller", List.of("target", "inactivity_probe", "max_backoff"));

    private final Idl idl;
    private final Switch sw;
    /* Null when statistics cannot be gathered (no worker): they then stay disabled. */
    private final SystemStats systemStats;
    /* Whether other_config:enable-statistics is in effect (and systemStats exists). */
    private boolean statsEnabled;
    private long appliedSeqno = -1;
    private SwitchConfig applied;
    private boolean disabled;
    private int connectionSeqno = -1;
    private long writtenStatusSeqno = -1;
    private boolean rewriteStatus;
    /** Set once the transaction of the first reconfiguration has completed, as OVS's daemonize_txn. */
    private boolean initialConfigDone;
    private boolean initialTxnSent;
    /** Row UUID to the column values last written to it. */
    private final Map<String, Map<String, Object>> written = new HashMap<>();
    /** The rows written to by the status update in progress. */
    private final Set<String> touched = new HashSet<>();

    /**
     * Connects to 'remote' ("unix:PATH" or "tcp:IP:PORT") and runs 'sw' from it; the
     * Open_vSwitch statistics column is filled from 'systemStats' while other_config
     * enable-statistics is true, and never if 'systemStats' is null.
     */
    public DatabaseConfig(String remote, Switch sw, SystemStats systemStats) {
        this.idl = new Idl(new JsonRpcSession(remote), DATABASE, MONITORED);
        this.idl.setLock(LOCK);
        // Written back by this daemon; read only to give a re-added interface its number again.
        this.idl.omitAlert("Interface", "ofport");
        this.sw = sw;
        this.systemStats = systemStats;
    }

    /** Enables or disables the system statistics, as OVS's system_stats_enable(). */
    private void enableSystemStats(boolean enable) {
        statsEnabled = enable && systemStats != null;
        if (systemStats != null) {
            systemStats.enable(enable);
        }
    }

    @Override
    public void run() {
        idl.run();
        sw.run();
        if (idl.session().seqno() != connectionSeqno) {
            connectionSeqno = idl.session().seqno();
            // A new connection: the database may hold anything, so compare and write it all again.
            written.clear();
            appliedSeqno = -1;
        }
        if (idl.isLockContended()) {
            if (CONTENDED_RL.admit(LOG, org.slf4j.event.Level.ERROR)) {
                LOG.error("another ovs-vswitchd process is running, disabling this process (pid {}) until it goes away",
                        Native.libc().getpid());
            }
            if (!disabled) {
                disabled = true;
                sw.destroyAll(false);
                applied = null;
                appliedSeqno = -1;
                enableSystemStats(false);
            }
            return;
        }
        if (!idl.hasLock() || !idl.isReady()) {
            return;
        }
        disabled = false;
        boolean devicesChanged = sw.devicesChanged();
        if (idl.changeSeqno() != appliedSeqno || devicesChanged) {
            appliedSeqno = idl.changeSeqno();
            SwitchConfig cfg = read(idl);
            if (!cfg.equals(applied) || devicesChanged) {
                sw.reconfigure(cfg, this::previousOfport);
                enableSystemStats("true".equals(cfg.otherConfig().get("enable-statistics")));
                applied = cfg;
            }
            writeStatus(true);
        } else if (sw.statusSeqno() != writtenStatusSeqno || rewriteStatus) {
            writeStatus(false);
        }
        if (systemStats != null) {
            systemStats.run();
            Map<String, String> stats = systemStats.poll();
            if (stats != null) {
                writeSystemStats(stats);
            }
        }
    }

    @Override
    public void waitFor(PollLoop loop) {
        idl.waitFor(loop);
        sw.waitFor(loop);
        if (systemStats != null) {
            systemStats.waitFor(loop);
        }
        if (rewriteStatus) {
            loop.timerWait(1000);
        }
    }

    @Override
    public void cleanup() {
        sw.destroyAll(true);
    }

    @Override
    public boolean ready() {
        return initialConfigDone;
    }

    @Override
    public void registerCommands(UnixctlServer server) {
        sw.registerCommands(server);
    }

    @Override
    public void close() {
        idl.close();
        sw.close();
    }

    /** The Interface ofport column of row 'key', which a re-added interface gets back. */
    private Long previousOfport(String key) {
        Row row = idl.row("Interface", key);
        return row == null ? null : Datum.optInteger(row.get("ofport"));
    }

    /** The configuration in the replica, following references from the Open_vSwitch row. */
    static SwitchConfig read(Idl idl) {
        Row ovs = first(idl.table("Open_vSwitch"));
        if (ovs == null) {
            return SwitchConfig.EMPTY;
        }
        List<BridgeConfig> bridges = new ArrayList<>();
        for (String bu : Datum.strings(ovs.get("bridges"))) {
            Row b = idl.row("Bridge", bu);
            if (b == null) {
                continue;
            }
            List<ControllerConfig> controllers = new ArrayList<>();
            for (String cu : Datum.strings(b.get("controller"))) {
                Row c = idl.row("Controller", cu);
                if (c != null) {
                    controllers.add(new ControllerConfig(cu, Datum.string(c.get("target")),
                            Datum.optInteger(c.get("inactivity_probe")), Datum.optInteger(c.get("max_backoff"))));
                }
            }
            List<PortConfig> ports = new ArrayList<>();
            for (String pu : Datum.strings(b.get("ports"))) {
                Row p = idl.row("Port", pu);
                if (p == null) {
                    continue;
                }
                List<InterfaceConfig> ifaces = new ArrayList<>();
                for (String iu : Datum.strings(p.get("interfaces"))) {
                    Row i = idl.row("Interface", iu);
                    if (i != null) {
                        ifaces.add(new InterfaceConfig(iu, Datum.string(i.get("name")), Datum.string(i.get("type")),
                                Datum.optInteger(i.get("ofport_request")), Datum.stringMap(i.get("options")),
                                Datum.optInteger(i.get("mtu_request"))));
                    }
                }
                if (!ifaces.isEmpty()) {
                    ports.add(new PortConfig(pu, Datum.string(p.get("name")), Datum.optInteger(p.get("tag")),
                            Datum.integers(p.get("trunks")), ifaces));
                }
            }
            bridges.add(new BridgeConfig(bu, Datum.string(b.get("name")), Datum.string(b.get("datapath_type")),
                    Datum.optString(b.get("fail_mode")), Datum.strings(b.get("protocols")),
                    Datum.stringMap(b.get("other_config")), controllers, ports));
        }
        return new SwitchConfig(Datum.stringMap(ovs.get("other_config")), Datum.integer(ovs.get("next_cfg")), bridges);
    }

    private static Row first(Map<String, Row> table) {
        return table.isEmpty() ? null : table.values().iterator().next();
    }

    /**
     * Writes the status columns that changed, and cur_cfg = next_cfg after a reconfiguration
     * ('withCurCfg'), in one transaction.
     */
    private void writeStatus(boolean withCurCfg) {
        writtenStatusSeqno = sw.statusSeqno();
        rewriteStatus = false;
        touched.clear();
        Idl.Txn txn = new Idl.Txn();
        for (InterfaceStatus s : sw.interfaceStatus()) {
            if (s.key() != null) {
                change(txn, "Interface", s.key(), interfaceColumns(s));
            }
        }
        for (BridgeStatus b : sw.bridgeStatus()) {
            if (b.key() != null) {
                Map<String, Object> cols = new LinkedHashMap<>();
                cols.put("datapath_id", b.datapathId());
                cols.put("datapath_version", b.datapathVersion());
                change(txn, "Bridge", b.key(), cols);
            }
        }
        for (ControllerStatus c : sw.controllerStatus()) {
            if (c.key() != null) {
                Map<String, Object> cols = new LinkedHashMap<>();
                cols.put("is_connected", c.connected());
                cols.put("role", c.role());
                cols.put("status", Datum.mapOf(c.status()));
                change(txn, "Controller", c.key(), cols);
            }
        }
        Row ovs = first(idl.table("Open_vSwitch"));
        if (ovs != null) {
            Map<String, Object> cols = new LinkedHashMap<>();
            if (withCurCfg && applied != null) {
                cols.put("cur_cfg", applied.nextCfg());
            }
            cols.put("datapath_types", Datum.setOf(List.of("netdev")));
            cols.put("iface_types", Datum.setOf(List.of("internal", "system", "tap")));
            if (!statsEnabled) {
                // As OVS's reconfigure_system_stats(): no statistics while they are disabled.
                cols.put("statistics", Datum.mapOf(Map.of()));
            }
            change(txn, "Open_vSwitch", ovs.uuid(), cols);
        }
        // Forget rows that are no longer reported (deleted interfaces, bridges, controllers).
        written.keySet().retainAll(touched);
        if (withCurCfg && !initialTxnSent) {
            initialTxnSent = true;
            idl.commit(txn, status -> {
                initialConfigDone = true;
                handleTxnStatus(status);
            });
        } else {
            commit(txn);
        }
    }

    /** The Interface columns OVS writes: all of them for an open interface, the cleared set for a failed one. */
    private static Map<String, Object> interfaceColumns(InterfaceStatus s) {
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("ofport", s.ofport());
        cols.put("error", Datum.optional(s.error()));
        cols.put("admin_state", Datum.optional(s.adminState()));
        cols.put("link_state", Datum.optional(s.linkState()));
        cols.put("link_speed", Datum.optional(s.linkSpeed()));
        cols.put("duplex", Datum.optional(s.duplex()));
        cols.put("mtu", Datum.optional(s.mtu()));
        cols.put("mac_in_use", Datum.optional(s.macInUse()));
        cols.put("ifindex", Datum.optional(s.ifindex()));
        cols.put("statistics", Datum.mapOf(s.statistics()));
        cols.put("status", Datum.mapOf(s.status()));
        if (s.error() == null) {
            cols.put("link_resets", Datum.optional(s.linkResets()));
        }
        return cols;
    }

    /** Adds to 'txn' the columns of 'cols' whose value differs from what was last written to the row. */
    private void change(Idl.Txn txn, String table, String uuid, Map<String, Object> cols) {
        touched.add(uuid);
        Map<String, Object> last = written.computeIfAbsent(uuid, k -> new HashMap<>());
        Map<String, Object> diff = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : cols.entrySet()) {
            if (!e.getValue().equals(last.get(e.getKey()))) {
                diff.put(e.getKey(), e.getValue());
                last.put(e.getKey(), e.getValue());
            }
        }
        txn.update(table, uuid, diff);
    }

    private void commit(Idl.Txn txn) {
        idl.commit(txn, this::handleTxnStatus);
    }

    private void handleTxnStatus(Idl.TxnStatus status) {
        if (status == Idl.TxnStatus.TRY_AGAIN || status == Idl.TxnStatus.ERROR) {
            // What we believe was written is uncertain: write everything again soon.
            written.clear();
            rewriteStatus = true;
            appliedSeqno = -1;
        }
    }

    private void writeSystemStats(Map<String, String> stats) {
        Row ovs = first(idl.table("Open_vSwitch"));
        if (ovs != null && idl.hasLock()) {
            Idl.Txn txn = new Idl.Txn();
            change(txn, "Open_vSwitch", ovs.uuid(), Map.of("statistics", Datum.mapOf(stats)));
            commit(txn);
        }
    }
}
