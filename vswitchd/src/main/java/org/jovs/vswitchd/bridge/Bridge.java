package org.jovs.vswitchd.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.jovs.core.Dirs;
import org.jovs.core.PollLoop;
import org.jovs.core.RateLimit;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.vswitchd.config.SwitchConfig.BridgeConfig;
import org.jovs.vswitchd.config.SwitchConfig.ControllerConfig;
import org.jovs.vswitchd.config.SwitchConfig.InterfaceConfig;
import org.jovs.vswitchd.config.SwitchConfig.PortConfig;
import org.jovs.vswitchd.dpif.PortSender;
import org.jovs.vswitchd.netdev.Netdev;
import org.jovs.vswitchd.netdev.Netdevs;
import org.jovs.vswitchd.normal.MacLearningTable;
import org.jovs.vswitchd.normal.NormalSwitch;
import org.jovs.vswitchd.ofproto.Ofproto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge on the userspace ("netdev") datapath, reconfigured as OVS's bridge.c does: its own
 * internal port (named like the bridge, OpenFlow port OFPP_LOCAL), the ports and interfaces the
 * configuration lists, each interface opened on a device and given an OpenFlow port number, the
 * bridge's Ethernet address and datapath ID, and its OpenFlow switch ({@link Ofproto}: flow
 * tables, service socket, controller connections), configured after every reconfiguration.
 * The datapath delivers the bridge's frames to the ofproto's table lookup; its actions send
 * through the bridge's {@link PortSender}, and NORMAL is the bridge's {@link NormalSwitch}, with
 * the MAC table fdb/show lists. Both follow the bridge's ports.
 *
 * <p>Created, reconfigured and destroyed only by {@link Switch}, on the main thread.
 * Reconfiguration changes only what differs: an interface whose type and requested port number
 * are unchanged keeps its device and number. An interface that cannot be opened is kept aside
 * with its error and retried on the next reconfiguration; it does not affect the others.
 */
final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger("bridge");
    private static final RateLimit CONTROLLER_RL = new RateLimit(30, 5);
    private static final RateLimit UNIX_RL = new RateLimit(1, 5);
    private static final Logger CONNMGR_LOG = LoggerFactory.getLogger("connmgr");
    private static final int EAFNOSUPPORT = 97;
    private static final int EFBIG = 27;

    /** One port: a name and its open interfaces. */
    static final class Port {
        final String name;
        PortConfig cfg;
        final List<Iface> ifaces = new ArrayList<>();

        Port(String name, PortConfig cfg) {
            this.name = name;
            this.cfg = cfg;
        }
    }

    /** An interface: open (netdev set, ofport >= 1) or failed (error set). */
    static final class Iface {
        final String name;
        /** The configured type: "", "system", "internal", "tap". */
        final String type;
        InterfaceConfig cfg;
        final Netdev netdev;
        final int ofport;
        final int dpPort;
        final String error;

        Iface(String name, String type, InterfaceConfig cfg, Netdev netdev, int ofport, int dpPort, String error) {
            this.name = name;
            this.type = type;
            this.cfg = cfg;
            this.netdev = netdev;
            this.ofport = ofport;
            this.dpPort = dpPort;
            this.error = error;
        }
    }

    final String name;
    final String datapathType;
    private final Netdevs netdevs;
    private final NetdevDatapath datapath;
    private final OfportAllocator ofports = new OfportAllocator();
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<String, Iface> ifaces = new LinkedHashMap<>();
    private final Map<String, Iface> failed = new LinkedHashMap<>();
    private final Iface local;
    /** As OVS's daemon_should_self_confine(): Unix socket controllers only where they cannot overwrite files. */
    private final boolean selfConfine;
    private BridgeConfig cfg;
    private final EthAddr defaultEa;
    private EthAddr ea;
    private long datapathId;
    private List<ControllerConfig> controllers = List.of();
    /** The bridge's OpenFlow switch: where the datapath delivers the bridge's frames. */
    private final Ofproto ofproto;
    private final MacLearningTable macs = new MacLearningTable();
    private final PortSender sender;
    private final NormalSwitch normal;
    /** Interface key to the port number it had before (e.g. in the database), during addPorts(). */
    private Function<String, Long> previousOfports = key -> null;

    private Bridge(BridgeConfig cfg, Netdevs netdevs, NetdevDatapath datapath, Iface local, boolean selfConfine) {
        this.selfConfine = selfConfine;
        this.name = cfg.name();
        this.datapathType = cfg.datapathType();
        this.cfg = cfg;
        this.netdevs = netdevs;
        this.datapath = datapath;
        this.local = local;
        this.defaultEa = defaultAddress(cfg);
        ofports.reserve(OfportAllocator.OFPP_LOCAL);
        ifaces.put(local.name, local);
        this.ofproto = new Ofproto(name, Dirs.rundir(), new BridgePorts(ifaces, datapath));
        sender = datapath.newSender();
        normal = new NormalSwitch(name, macs, sender, sender::canTransmit, TimeVal::msec);
        ofproto.setDatapath(sender, normal);
        attach(local);
    }

    /** Starts the datapath's frame I/O on 'iface' and lets the frame sender reach it. */
    private void attach(Iface iface) {
        sender.put(iface.ofport, datapath.attach(iface.netdev, iface.ofport, ofproto));
    }

    /** Stops the frame I/O of 'iface', before its device closes. */
    private void detach(Iface iface) {
        sender.put(iface.ofport, null);
        datapath.detach(iface.netdev);
    }

    /** Creates the bridge with its local port; throws with OVS's reason if it cannot. */
    static Bridge create(BridgeConfig cfg, Netdevs netdevs, NetdevDatapath datapath, boolean selfConfine)
            throws Netdevs.OpenException {
        Netdev dev = netdevs.open(cfg.name(), datapath.netdevType("internal"));
        int dpPort = datapath.addPort(cfg.name(), dev);
        Iface local = new Iface(cfg.name(), "internal", null, dev, OfportAllocator.OFPP_LOCAL, dpPort, null);
        Bridge br = new Bridge(cfg, netdevs, datapath, local, selfConfine);
        LOG.info("bridge {}: added interface {} on port {}", br.name, local.name, OfportAllocator.OFPP_LOCAL);
        return br;
    }

    BridgeConfig config() {
        return cfg;
    }

    /** Every open interface, the local one included, by name. */
    Map<String, Iface> ifaces() {
        return ifaces;
    }

    /** Interfaces that could not be opened at the last reconfiguration. */
    Map<String, Iface> failedIfaces() {
        return failed;
    }

    Map<String, Port> ports() {
        return ports;
    }

    List<ControllerConfig> controllers() {
        return controllers;
    }

    long datapathId() {
        return datapathId;
    }

    NetdevDatapath datapath() {
        return datapath;
    }

    Ofproto ofproto() {
        return ofproto;
    }

    /**
     * Deletes the interfaces that are no longer wanted, or whose type or requested port number
     * changed (they are re-added by {@link #addPorts}). First half of a reconfiguration: all
     * deletions on every bridge happen before any addition, since a new port may need a name an
     * old one frees.
     */
    void deletePorts(BridgeConfig newCfg, Map<String, PortConfig> wanted) {
        cfg = newCfg;
        long now = TimeVal.msec();
        Map<String, InterfaceConfig> wantedIfaces = new LinkedHashMap<>();
        for (PortConfig p : wanted.values()) {
            for (InterfaceConfig i : p.interfaces()) {
                wantedIfaces.putIfAbsent(i.name(), i);
            }
        }
        for (Iface iface : new ArrayList<>(ifaces.values())) {
            if (iface == local) {
                continue;
            }
            InterfaceConfig ic = wantedIfaces.get(iface.name);
            // As OVS, compare the device classes: "" and "system" are the same, and so are
            // "internal" and "tap" on the userspace datapath.
            if (ic == null || !Objects.equals(datapath.netdevType(ic.type()), iface.netdev.type)
                    || requestChanged(iface, ic)) {
                deleteIface(iface, now);
            }
        }
        // Detach from each port what it no longer lists (an interface may move to another port).
        for (Port port : new ArrayList<>(ports.values())) {
            PortConfig pc = wanted.get(port.name);
            Set<String> listed = new HashSet<>();
            if (pc != null) {
                pc.interfaces().forEach(i -> listed.add(i.name()));
            }
            port.ifaces.removeIf(i -> !listed.contains(i.name) || !ifaces.containsKey(i.name));
            if (port.ifaces.isEmpty()) {
                ports.remove(port.name);
            }
        }
        failed.clear();
    }

    private static boolean requestChanged(Iface iface, InterfaceConfig ic) {
        Long req = ic.ofportRequest();
        return req != null && req >= 1 && req < OfportAllocator.OFPP_MAX && req != iface.ofport;
    }

    /**
     * Opens the wanted interfaces that are not open yet, those with a requested port number first,
     * and brings ports, VLANs, the datapath ID and the controllers up to date.
     */
    void addPorts(Map<String, PortConfig> wanted, Function<String, Long> previousOfports) {
        this.previousOfports = previousOfports;
        for (int pass = 0; pass < 2; pass++) {
            for (PortConfig pc : wanted.values()) {
                for (InterfaceConfig ic : pc.interfaces()) {
                    boolean requested = validRequest(ic.ofportRequest()) > 0;
                    if (requested == (pass == 0)) {
                        addIface(pc, ic);
                    }
                }
            }
        }
        for (PortConfig pc : wanted.values()) {
            Port port = ports.get(pc.name());
            if (port == null) {
                continue;
            }
            port.cfg = pc;
            if (pc.tag() != null && !pc.trunks().isEmpty()) {
                LOG.warn("port {}: ignoring trunks in favor of implicit vlan", pc.name());
            }
        }
        configureDatapathId();
        configureControllers();
        ofproto.setDatapathId(datapathId);
        List<Ofproto.ControllerSpec> specs = new ArrayList<>();
        for (ControllerConfig c : controllers) {
            specs.add(new Ofproto.ControllerSpec(c.key(), c.target(), c.inactivityProbe(), c.maxBackoff()));
        }
        ofproto.configure(cfg.failMode(), cfg.protocols(), specs);
        configureNormal();
    }

    /** The ports and VLANs of NORMAL switching, and the MAC table's other_config settings. */
    private void configureNormal() {
        List<NormalSwitch.Port> list = new ArrayList<>();
        for (Port port : ports.values()) {
            int[] numbers = port.ifaces.stream().mapToInt(i -> i.ofport).toArray();
            if (numbers.length == 0) {
                continue;
            }
            int tag = port.cfg.tag() != null ? port.cfg.tag().intValue() : -1;
            BitSet trunks = null;
            if (tag < 0 && !port.cfg.trunks().isEmpty()) {
                trunks = new BitSet(4096);
                for (long vlan : port.cfg.trunks()) {
                    trunks.set((int) vlan);
                }
            }
            list.add(new NormalSwitch.Port(port.name, numbers, tag, trunks));
        }
        normal.setPorts(list);
        macs.setIdleTime(intConfig("mac-aging-time", MacLearningTable.DEFAULT_IDLE_TIME));
        macs.setMaxEntries(intConfig("mac-table-size", MacLearningTable.DEFAULT_MAX_ENTRIES));
    }

    private int intConfig(String key, int dflt) {
        try {
            String v = cfg.otherConfig().get(key);
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    MacLearningTable macs() {
        return macs;
    }

    /** Ages the MAC table out and runs the OpenFlow switch. */
    void run() {
        macs.run(TimeVal.msec());
        ofproto.run();
    }

    void waitFor(PollLoop loop) {
        long next = macs.nextExpiryMs();
        if (next != Long.MAX_VALUE) {
            loop.timerWaitUntil(next);
        }
        ofproto.waitFor(loop);
    }

    private void addIface(PortConfig pc, InterfaceConfig ic) {
        Iface iface = ifaces.get(ic.name());
        if (iface == null) {
            iface = openIface(ic);
            if (iface.error != null) {
                failed.put(ic.name(), iface);
                return;
            }
        } else if (iface.cfg != null && !iface.cfg.options().equals(ic.options())) {
            iface.netdev.setOptions(ic.options());
        }
        iface.cfg = ic;
        applyMtuRequest(iface);
        Port port = ports.computeIfAbsent(pc.name(), n -> new Port(n, pc));
        if (!port.ifaces.contains(iface)) {
            port.ifaces.add(iface);
        }
    }

    private Iface openIface(InterfaceConfig ic) {
        String netdevType = datapath.netdevType(ic.type());
        if (netdevType == null) {
            LoggerFactory.getLogger("netdev").warn("could not create netdev {} of unknown type {}", ic.name(), ic.type());
            return failedIface(ic, "could not open network device " + ic.name() + " ("
                    + Native.strerror(EAFNOSUPPORT) + ")");
        }
        Netdev dev;
        try {
            dev = netdevs.open(ic.name(), netdevType);
        } catch (Netdevs.OpenException e) {
            return failedIface(ic, "could not open network device " + ic.name() + " (" + e.getMessage() + ")");
        }
        int requested = validRequest(ic.ofportRequest());
        if (requested <= 0 && ic.key() != null) {
            requested = validRequest(previousOfports.apply(ic.key()));
        }
        int ofport = ofports.allocate(requested, TimeVal.msec());
        if (ofport < 0) {
            netdevs.close(dev, true);
            return failedIface(ic, "could not add network device " + ic.name() + " to ofproto ("
                    + Native.strerror(EFBIG) + ")");
        }
        dev.setOptions(ic.options());
        int dpPort = datapath.addPort(ic.name(), dev);
        Iface iface = new Iface(ic.name(), ic.type(), ic, dev, ofport, dpPort, null);
        ifaces.put(ic.name(), iface);
        attach(iface);
        LOG.info("bridge {}: added interface {} on port {}", name, ic.name(), ofport);
        return iface;
    }

    /**
     * Interface mtu_request, as OVS's iface_set_netdev_mtu() at every reconfiguration: a device
     * that refuses it keeps its MTU (OVS ignores the error there too).
     */
    private void applyMtuRequest(Iface iface) {
        Long mtu = iface.cfg.mtuRequest();
        if (mtu == null || mtu == iface.netdev.mtu()) {
            return;
        }
        try {
            iface.netdev.setMtu(mtu.intValue());
        } catch (IOException e) {
            LOG.debug("{}: failed to set MTU {}: {}", iface.name, mtu, e.getMessage());
        }
    }

    private Iface failedIface(InterfaceConfig ic, String error) {
        LOG.warn("{}", error);
        return new Iface(ic.name(), ic.type(), ic, null, -1, -1, error);
    }

    private static int validRequest(Long ofport) {
        return ofport != null && ofport >= 1 && ofport < OfportAllocator.OFPP_MAX ? ofport.intValue() : 0;
    }

    private void deleteIface(Iface iface, long now, boolean deleteDevice) {
        ifaces.remove(iface.name);
        detach(iface);
        ofports.release(iface.ofport, now);
        datapath.removePort(iface.name);
        netdevs.close(iface.netdev, deleteDevice);
        LOG.info("bridge {}: deleted interface {} on port {}", name, iface.name, iface.ofport);
    }

    /**
     * The datapath lost interface 'name' (dpctl/del-if deleted it): the bridge drops it, device
     * kept, until its next reconfiguration adds it back, as OVS's bridge notices a port that
     * disappeared. Returns false if the bridge has no such interface besides its own.
     */
    boolean datapathPortDeleted(String name) {
        Iface iface = ifaces.get(name);
        if (iface == null || iface == local) {
            return false;
        }
        deleteIface(iface, TimeVal.msec(), false);
        for (Port port : new ArrayList<>(ports.values())) {
            port.ifaces.remove(iface);
            if (port.ifaces.isEmpty()) {
                ports.remove(port.name);
            }
        }
        configureNormal();
        return true;
    }

    private void deleteIface(Iface iface, long now) {
        deleteIface(iface, now, true);
    }

    /**
     * Closes every device of the bridge, its own included; with 'deleteDevices', the tap devices
     * it made are deleted too (the bridge was removed), without they stay for another daemon (the
     * database lock was lost), as OVS's bridge_destroy(br, del).
     */
    void destroy(boolean deleteDevices) {
        ofproto.destroy();
        long now = TimeVal.msec();
        for (Iface iface : new ArrayList<>(ifaces.values())) {
            if (iface != local) {
                deleteIface(iface, now, deleteDevices);
            }
        }
        ifaces.remove(local.name);
        detach(local);
        datapath.removePort(local.name);
        netdevs.close(local.netdev, deleteDevices);
        ports.clear();
        failed.clear();
    }

    /**
     * Picks the bridge's Ethernet address (other_config:hwaddr, else the lowest universal address
     * among the ports' interfaces, else the default derived from the bridge's UUID), puts it on
     * the local port, and derives the datapath ID (other_config:datapath-id, else the address).
     */
    private void configureDatapathId() {
        EthAddr pick = pickAddress();
        if (!EthAddr.sameBytes(macBytes(local.netdev), pick)) {
            try {
                local.netdev.setMac(pick.toBytes());
            } catch (IOException e) {
                LOG.error("bridge {}: failed to set bridge Ethernet address: {}", name, e.getMessage());
            }
        }
        ea = pick;
        long dpid = parseDatapathId(cfg.otherConfig().get("datapath-id"));
        if (dpid == 0) {
            dpid = pick.value();
        }
        if (dpid != datapathId) {
            LOG.info("bridge {}: using datapath ID {}", name, String.format("%016x", dpid));
            datapathId = dpid;
        }
    }

    private static byte[] macBytes(Netdev dev) {
        EthAddr a = EthAddr.parse(dev.address());
        return a == null ? null : a.toBytes();
    }

    private EthAddr pickAddress() {
        String hwaddr = cfg.otherConfig().get("hwaddr");
        EthAddr requested = EthAddr.parse(hwaddr);
        if (requested != null) {
            if (requested.isMulticast()) {
                LOG.error("bridge {}: cannot set MAC address to multicast address {}", name, requested);
            } else if (requested.isZero()) {
                LOG.error("bridge {}: cannot set MAC address to zero", name);
            } else {
                return requested;
            }
        }
        EthAddr best = null;
        for (Port port : ports.values()) {
            Iface first = null;
            for (Iface i : port.ifaces) {
                if (first == null || i.name.compareTo(first.name) < 0) {
                    first = i;
                }
            }
            if (first == null || first == local) {
                continue;
            }
            EthAddr a = EthAddr.parse(first.netdev.address());
            if (a != null && !a.isMulticast() && !a.isLocal() && !a.isZero()
                    && (best == null || Long.compareUnsigned(a.value(), best.value()) < 0)) {
                best = a;
            }
        }
        return best != null ? best : defaultEa;
    }

    /** A datapath-id of exactly 16 hex digits, or 0x and up to 16, as OVS's dpid_from_string(); else 0. */
    static long parseDatapathId(String s) {
        if (s == null) {
            return 0;
        }
        String hex;
        if (s.length() == 16) {
            hex = s;
        } else if (s.length() <= 18 && s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            hex = s.substring(2);
        } else {
            return 0;
        }
        if (!hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return 0;
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    private static EthAddr defaultAddress(BridgeConfig cfg) {
        UUID uuid;
        try {
            uuid = cfg.key() != null ? UUID.fromString(cfg.key()) : null;
        } catch (IllegalArgumentException e) {
            uuid = null;
        }
        if (uuid == null) {
            // A bridge from a configuration file has no row: derive a stable address from its name.
            uuid = UUID.nameUUIDFromBytes(("jovs bridge " + cfg.name()).getBytes(StandardCharsets.UTF_8));
        }
        return EthAddr.fromUuid(uuid);
    }

    /**
     * As OVS's bridge_configure_remotes() under self-confinement: an active "unix:" controller
     * with a path outside the run directory, and a passive "punix:" one other than
     * RUNDIR/BRIDGE.* (no further slash), are refused with OVS's error, since a remote
     * database user could otherwise reach or overwrite any local file. True if 'target' may be used.
     */
    private boolean safeUnixTarget(String target) {
        String rundir = Dirs.rundir();
        if (target.startsWith("unix:")) {
            String allowed = "unix:" + rundir + "/";
            if (target.indexOf('/') >= 0 && !samePathPrefix(target, allowed)) {
                if (UNIX_RL.admit(LOG, org.slf4j.event.Level.ERROR)) {
                    LOG.error("bridge {}: Not connecting to socket controller \"{}\" due to possibility for remote "
                            + "exploit.  Instead, specify socket in permitted directory \"{}\" or connect to "
                            + "\"unix:{}/{}.mgmt\" (which is always available without special configuration).",
                            name, target, allowed, rundir, name);
                }
                return false;
            }
        } else if (target.startsWith("punix:")) {
            String allowed = "punix:" + rundir + "/" + name + ".";
            if (!samePathPrefix(target, allowed) || target.indexOf('/', allowed.length()) >= 0) {
                if (UNIX_RL.admit(LOG, org.slf4j.event.Level.ERROR)) {
                    LOG.error("bridge {}: Not adding Unix domain socket controller \"{}\" due to possibility of "
                            + "overwriting local files. Instead, specify path in permitted format \"{}*\" or "
                            + "connect to \"unix:{}/{}.mgmt\" (which is always available without special "
                            + "configuration).", name, target, allowed, rundir, name);
                }
                return false;
            }
        }
        return true;
    }

    /** Whether 'target' starts with 'prefix', as OVS's equal_pathnames() over that length. */
    private static boolean samePathPrefix(String target, String prefix) {
        return target.length() >= prefix.length() && target.startsWith(prefix);
    }

    private void configureControllers() {
        List<ControllerConfig> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ControllerConfig c : cfg.controllers()) {
            if (c.target().equals("none") && cfg.controllers().size() == 1) {
                break;
            }
            if (selfConfine && !safeUnixTarget(c.target())) {
                continue;
            }
            if (ControllerTarget.verify(c.target()) != null) {
                if (CONTROLLER_RL.admit(CONNMGR_LOG, org.slf4j.event.Level.WARN)) {
                    CONNMGR_LOG.warn("{}: unsupported controller \"{}\"", name, c.target());
                }
                continue;
            }
            if (seen.add(c.target())) {
                kept.add(c);
            }
        }
        controllers = List.copyOf(kept);
    }
}
