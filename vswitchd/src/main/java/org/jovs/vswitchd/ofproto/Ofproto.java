package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.UnixSocket;
import org.jovs.vswitchd.flow.FlowExtractor;
import org.jovs.vswitchd.flow.FlowKey;
import org.jovs.vswitchd.flow.FrameHandler;
import org.jovs.vswitchd.flow.FrameSender;
import org.jovs.vswitchd.flow.NormalForwarding;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow switch of one bridge, as OVS's ofproto + connmgr: its ports (read from the
 * bridge's {@link PortSource}), flow tables, the service socket {@code $OVS_RUNDIR/BRIDGE.mgmt}
 * and its connections, and the controller connections. As the datapath's
 * {@link FrameHandler} it looks frames up in table 0 and executes the actions, sending frames
 * through the {@link FrameSender} and NORMAL through the {@link NormalForwarding} plugged in with
 * {@link #setDatapath}.
 *
 * <p>Poll-loop contract: {@link #run()} accepts connections, handles requests, expires flows and
 * reports port changes; {@link #waitFor(PollLoop)} registers the fds and the next timeout.
 * Neither blocks. Created and {@link #destroy() destroyed} by the bridge; main thread only.
 * Owns the listening fd (and removes the socket file) and every connection fd.
 */
public final class Ofproto implements FrameHandler, PacketExecutor.Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger("ofproto");
    private static final Logger CONNMGR = LoggerFactory.getLogger("connmgr");
    /** OpenFlow 1.0 to 1.5, as a version bitmap: what OVS allows when a bridge's protocols column is empty. */
    static final int SUPPORTED_VERSIONS = (1 << OfWire.OF15 + 1) - (1 << OfWire.OF10);
    private static final int MAX_ACCEPTS_PER_RUN = 10;
    /** The cookie of a packet-in no flow sent (all ones, which ovs-ofctl does not print). */
    private static final long NO_COOKIE = -1;
    /** OVS's BUNDLE_IDLE_TIMEOUT_DEFAULT (ms): a bundle unused this long expires. */
    public static final long BUNDLE_IDLE_TIMEOUT_DEFAULT = 10_000;
    private static final OFFactory FACTORY10 = OFFactories.getFactory(OFVersion.OF_10);

    /** What the Controller table shows about one controller. */
    public record ControllerState(String key, String target, boolean connected, String role,
            Map<String, String> status) {
    }

    final String name;
    private final PortSource portSource;
    private final LongSupplier clock;
    private final FlowTables tables = new FlowTables();
    private final FailOpen failOpen = new FailOpen();
    /** Runs the actions for frames from the datapath, one at a time: no allocation per frame. */
    private final PacketExecutor datapathExecutor = new PacketExecutor(this);
    private final String mgmtPath;
    private int listenFd = -1;
    private final List<OfSession> services = new ArrayList<>();
    private final Map<String, ControllerLink> controllers = new LinkedHashMap<>();
    private final Map<String, PassiveController> passives = new LinkedHashMap<>();
    private FrameSender sender = (port, frame, len) -> { };
    private NormalForwarding normal = (key, frame, len) -> { };
    private long datapathId;
    /** OFPC_FRAG_* of SET_CONFIG: switch-wide, as OVS's frag_handling (reported, not applied). */
    int fragMode;
    private int allowedVersions = SUPPORTED_VERSIONS;
    private long bundleIdleTimeout = BUNDLE_IDLE_TIMEOUT_DEFAULT;
    private boolean standalone = true;
    private Map<Integer, OfPort> lastPorts = new LinkedHashMap<>();
    private final Map<Integer, Long> portCreated = new HashMap<>();
    private long statusSeqno;
    private final FlowKey scratchKey = new FlowKey();
    /**
     * The pipeline a packet-out's actions run in: as OVS translates them "in packet-out", every
     * output to the controller on the way, in resubmitted flows too, is reason packet_out.
     */
    private final PacketExecutor.Pipeline packetOutPipeline = new PacketExecutor.Pipeline() {
        @Override
        public void output(int port, FlowKey key, byte[] frame, int len) {
            Ofproto.this.output(port, key, frame, len);
        }

        @Override
        public void toController(FlowKey key, byte[] frame, int len, int maxLen, int table, long cookie,
                boolean tableMiss) {
            Ofproto.this.toController(key, frame, len, maxLen, table, cookie, AsyncMessages.Reason.PACKET_OUT);
        }

        @Override
        public FlowEntry lookup(int table, FlowKey key) {
            return Ofproto.this.lookup(table, key);
        }
    };

    /** An ofproto for bridge 'name' whose service socket is in 'rundir'; 'clock' gives ms. */
    public Ofproto(String name, String rundir, PortSource ports, LongSupplier clock) {
        this.name = name;
        this.portSource = ports;
        this.clock = clock;
        this.mgmtPath = rundir + "/" + name + ".mgmt";
        try {
            listenFd = UnixSocket.listen(mgmtPath);
        } catch (NativeException e) {
            CONNMGR.error("{}: failed to listen on punix:{}: {}", name, mgmtPath, Native.strerror(e.errno()));
        }
        for (OfPort p : ports.ports()) {
            lastPorts.put(p.number(), p);
            portCreated.put(p.number(), now());
        }
        flushed();
    }

    public Ofproto(String name, String rundir, PortSource ports) {
        this(name, rundir, ports, TimeVal::msec);
    }

    /** Plugs in the datapath: where output actions send frames, and what NORMAL does. */
    public void setDatapath(FrameSender sender, NormalForwarding normal) {
        this.sender = Objects.requireNonNull(sender);
        this.normal = Objects.requireNonNull(normal);
    }

    /** How long (ms) a bundle may stay unused before it expires (Open_vSwitch other_config:bundle-idle-timeout). */
    public void setBundleIdleTimeout(long ms) {
        this.bundleIdleTimeout = ms;
    }

    long bundleIdleTimeout() {
        return bundleIdleTimeout;
    }

    public void setDatapathId(long dpid) {
        this.datapathId = dpid;
    }

    /**
     * Applies the bridge's fail_mode ("secure" or else standalone), protocols (e.g.
     * "OpenFlow13"; empty for all supported) and controllers ('targets': key, target, probe,
     * backoff). As OVS's connmgr, the flow tables are flushed (and the NORMAL flow put back)
     * when the bridge goes from no controller to some or back, or when the fail mode changes
     * without controllers.
     */
    public void configure(String failMode, List<String> protocols, List<ControllerSpec> targets) {
        int versions = 0;
        for (String p : protocols) {
            versions |= switch (p) {
            case "OpenFlow10" -> 1 << OfWire.OF10;
            case "OpenFlow11" -> 1 << OfWire.OF11;
            case "OpenFlow12" -> 1 << OfWire.OF12;
            case "OpenFlow13" -> 1 << OfWire.OF13;
            case "OpenFlow14" -> 1 << OfWire.OF14;
            case "OpenFlow15" -> 1 << OfWire.OF15;
            default -> 0;
            };
        }
        allowedVersions = protocols.isEmpty() || versions == 0 ? SUPPORTED_VERSIONS : versions;
        boolean hadControllers = hasControllers();
        long now = now();
        Map<String, ControllerSpec> wanted = new LinkedHashMap<>();
        for (ControllerSpec c : targets) {
            if (c.target().startsWith("ssl:") || c.target().startsWith("pssl:")) {
                CONNMGR.error("{}: SSL is not supported, ignoring controller {}", name, c.target());
                continue;
            }
            if (c.target().startsWith("ptcp:")) {
                CONNMGR.warn("{}: passive TCP controller connections are not supported, ignoring {}", name, c.target());
                continue;
            }
            wanted.put(c.target(), c);
        }
        for (Iterator<PassiveController> it = passives.values().iterator(); it.hasNext();) {
            PassiveController p = it.next();
            if (!wanted.containsKey(p.target)) {
                p.close();
                it.remove();
            }
        }
        for (Iterator<ControllerLink> it = controllers.values().iterator(); it.hasNext();) {
            ControllerLink link = it.next();
            if (!wanted.containsKey(link.target)) {
                link.close();
                it.remove();
            }
        }
        for (ControllerSpec c : wanted.values()) {
            if (c.target().startsWith("punix:")) {
                if (!passives.containsKey(c.target())) {
                    CONNMGR.info("{}: added primary controller \"{}\"", name, c.target());
                    PassiveController p = PassiveController.open(this, name, c.key(), c.target());
                    if (p != null) {
                        passives.put(c.target(), p);
                    }
                }
            } else if (!controllers.containsKey(c.target())) {
                CONNMGR.info("{}: added primary controller \"{}\"", name, c.target());
                controllers.put(c.target(), new ControllerLink(this, c.key(), c.target(), c.inactivityProbe(),
                        c.maxBackoff(), now));
            }
        }
        boolean newStandalone = !"secure".equals(failMode);
        boolean flush = hadControllers != hasControllers()
                || (newStandalone != standalone && !hasControllers());
        standalone = newStandalone;
        if (flush) {
            tables.clear();
            flushed();
        }
        statusSeqno++;
    }

    /** Drops every controller connection and connects again (ovs-appctl bridge/reconnect). */
    public void reconnectControllers() {
        long now = now();
        for (ControllerLink c : controllers.values()) {
            c.reconnect(now);
        }
    }

    /** One configured controller. */
    public record ControllerSpec(String key, String target, Long inactivityProbe, Long maxBackoff) {
    }

    /** Whether any controller, active or passive, is configured, as connmgr_has_controllers(). */
    private boolean hasControllers() {
        return !controllers.isEmpty() || !passives.isEmpty();
    }

    /** After a flush: the NORMAL flow in standalone mode without controllers, as connmgr_flushed(). */
    private void flushed() {
        if (!hasControllers() && standalone) {
            try {
                tables.apply(new FlowMod(FlowMod.Command.ADD, 0, new FlowMatch(), 0, 0, 0, 0L, 0, 0, OfPorts.NONE,
                        false, false, false, List.of(new FlowAction.Output(OfPorts.NORMAL, 0)), false), now());
            } catch (OfError.OfErrorException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    long now() {
        return clock.getAsLong();
    }

    FlowTables tables() {
        return tables;
    }

    long datapathId() {
        return datapathId;
    }

    int allowedVersions() {
        return allowedVersions;
    }

    OFFactory factory10() {
        return FACTORY10;
    }

    List<OfPort> ports() {
        return new ArrayList<>(lastPorts.values());
    }

    Map<String, Long> portStats(int port) {
        return portSource.stats(port);
    }

    long portCreated(int port) {
        return portCreated.getOrDefault(port, now());
    }

    /** Moves when the controller status may have changed. */
    public long statusSeqno() {
        return statusSeqno;
    }

    void statusChanged() {
        statusSeqno++;
    }

    public List<ControllerState> controllerStates() {
        List<ControllerState> out = new ArrayList<>();
        long now = now();
        for (ControllerLink c : controllers.values()) {
            out.add(new ControllerState(c.key, c.target, c.isConnected(), "other", c.status(now)));
        }
        for (PassiveController p : passives.values()) {
            out.add(new ControllerState(p.key, p.target, p.isConnected(), "other", Map.of()));
        }
        return out;
    }

    public void run() {
        accept();
        for (Iterator<OfSession> it = services.iterator(); it.hasNext();) {
            OfSession s = it.next();
            if (!s.run()) {
                LOG.debug("{}: {}", s.conn.name, s.conn.failure());
                s.close();
                it.remove();
            }
        }
        long now = now();
        for (ControllerLink c : controllers.values()) {
            c.run(now);
        }
        for (PassiveController p : passives.values()) {
            p.run(name, allowedVersions);
        }
        for (FlowTables.Removed r : tables.expire(now)) {
            flowRemoved(r);
        }
        if (!standalone || controllers.isEmpty()) {
            failOpen.reset();
        } else if (failOpen.run(now, controllers.values())) {
            tables.clear();
        }
        trackPorts();
    }

    private void accept() {
        for (int i = 0; listenFd >= 0 && i < MAX_ACCEPTS_PER_RUN; i++) {
            int fd;
            try {
                fd = UnixSocket.accept(listenFd);
            } catch (NativeException e) {
                CONNMGR.warn("{}: accept failed: {}", name, Native.strerror(e.errno()));
                return;
            }
            if (fd < 0) {
                return;
            }
            services.add(new OfSession(new OfConnection(fd, name + "<->unix#" + fd), this, false, allowedVersions));
        }
    }

    private void trackPorts() {
        Map<Integer, OfPort> now = new LinkedHashMap<>();
        for (OfPort p : portSource.ports()) {
            now.put(p.number(), p);
        }
        if (now.equals(lastPorts)) {
            return;
        }
        for (OfPort p : now.values()) {
            OfPort old = lastPorts.get(p.number());
            if (old == null) {
                portCreated.put(p.number(), now());
                portStatus(0, p);
            } else if (!old.equals(p)) {
                portStatus(2, p);
            }
        }
        for (OfPort old : lastPorts.values()) {
            if (!now.containsKey(old.number())) {
                portCreated.remove(old.number());
                portStatus(1, old);
            }
        }
        lastPorts = now;
    }

    public void waitFor(PollLoop loop) {
        if (listenFd >= 0) {
            loop.fdWait(listenFd, PollLoop.POLLIN, mgmtPath);
        }
        for (OfSession s : services) {
            s.waitFor(loop);
        }
        long now = now();
        for (ControllerLink c : controllers.values()) {
            c.waitFor(loop, now);
        }
        for (PassiveController p : passives.values()) {
            p.waitFor(loop);
        }
        if (standalone && !controllers.isEmpty()) {
            failOpen.waitFor(loop, now, controllers.values());
        }
        long next = tables.nextExpiry();
        if (next != Long.MAX_VALUE) {
            loop.timerWaitUntil(next);
        }
    }

    /** Closes every connection and removes the service socket. */
    public void destroy() {
        services.forEach(OfSession::close);
        services.clear();
        controllers.values().forEach(ControllerLink::close);
        controllers.clear();
        passives.values().forEach(PassiveController::close);
        passives.clear();
        if (listenFd >= 0) {
            Native.closeQuietly(listenFd);
            listenFd = -1;
            UnixSocket.unlinkQuietly(mgmtPath);
        }
    }

    /** Every negotiated session: services and controllers. */
    private List<OfSession> sessions() {
        List<OfSession> out = new ArrayList<>();
        for (ControllerLink c : controllers.values()) {
            if (c.session() != null) {
                out.add(c.session());
            }
        }
        for (PassiveController p : passives.values()) {
            p.collectSessions(out);
        }
        for (OfSession s : services) {
            if (s.isNegotiated()) {
                out.add(s);
            }
        }
        return out;
    }

    void sessionNegotiated(OfSession s) {
        statusSeqno++;
    }

    // ---- requests from sessions

    List<FlowEntry> selectForStats(int table, FlowMatch match, int outPort, long cookie, long cookieMask) {
        return tables.select(new FlowMod(FlowMod.Command.DELETE, table, match, 0, cookie, cookieMask, null, 0, 0,
                outPort, false, false, false, List.of(), false));
    }

    void flowMod(FlowMod mod) throws OfError.OfErrorException {
        for (FlowTables.Removed r : tables.apply(mod, now())) {
            flowRemoved(r);
        }
    }

    /** FLOW_REMOVED for 'r', to the connections that want it, if its flow asked for one. */
    void flowRemoved(FlowTables.Removed r) {
        if (!r.entry().sendFlowRemoved) {
            return;
        }
        long now = now();
        for (OfSession s : sessions()) {
            if (s.wantsAsync()) {
                s.send(AsyncMessages.flowRemoved(s.factory, r.entry(), r.reason(), now));
            }
        }
    }

    private void portStatus(int reason, OfPort p) {
        for (OfSession s : sessions()) {
            if (s.wantsAsync()) {
                s.send(AsyncMessages.portStatus(s.factory, reason, p));
            }
        }
    }

    void portMod(PortMod mod) throws OfError.OfErrorException {
        checkPortMod(mod);
        applyPortMod(mod);
    }

    /** Whether 'mod' names an existing port by its address (port_mod_start). */
    void checkPortMod(PortMod mod) throws OfError.OfErrorException {
        OfPort p = lastPorts.get(mod.port());
        if (p == null) {
            throw OfError.PORT_MOD_BAD_PORT.exception("no port " + mod.port());
        }
        if (p.mac() != mod.hwAddr()) {
            throw OfError.PORT_MOD_BAD_HW_ADDR.exception("wrong address for port " + mod.port());
        }
    }

    void applyPortMod(PortMod mod) {
        OfPort p = lastPorts.get(mod.port());
        Boolean up = mod.up();
        if (p != null && up != null && up != p.adminUp()) {
            try {
                portSource.setAdminUp(mod.port(), up);
            } catch (java.io.IOException e) {
                LOG.warn("{}: could not set port {} {}: {}", name, p.name(), up ? "up" : "down", e.getMessage());
            }
        }
    }

    /** Runs a packet-out's actions on its frame (checked when decoded). */
    void packetOut(PacketOut po) {
        byte[] data = po.data();
        FlowKey key = new FlowKey();
        FlowExtractor.extract(data, data.length, po.inPort(), key);
        new PacketExecutor(packetOutPipeline).on(key, data.clone(), data.length).execute(po.actions(), 0, NO_COOKIE);
    }

    // ---- the packet path

    @Override
    public void receive(FlowKey key, byte[] frame, int len) {
        if (failOpen.isActive()) {
            normal.forward(key, frame, len);
            return;
        }
        FlowEntry e = lookup(0, key);
        long now = now();
        if (e == null) {
            missToControllers(key, frame, len);
            return;
        }
        e.hit(len, now);
        datapathExecutor.on(key, frame, len).execute(e);
    }

    /** A table-0 miss: a packet-in (reason no_match) to the connections that want one, as OVS before OF1.3. */
    private void missToControllers(FlowKey key, byte[] frame, int len) {
        for (OfSession s : sessions()) {
            if (s.wantsAsync() && s.version < OfWire.OF13) {
                s.send(AsyncMessages.packetIn(s.factory, AsyncMessages.Reason.NO_MATCH, key.inPort, frame, len,
                        s.missSendLen, 0, 0));
            }
        }
    }

    @Override
    public FlowEntry lookup(int table, FlowKey key) {
        FlowEntry e = tables.lookup(table, key);
        if (e != null && table != 0) {
            e.hit(0, now());
        }
        return e;
    }

    @Override
    public void output(int port, FlowKey key, byte[] frame, int len) {
        switch (port) {
        case OfPorts.IN_PORT -> sender.send(key.inPort, frame, len);
        case OfPorts.NORMAL -> normal.forward(key, frame, len);
        case OfPorts.FLOOD, OfPorts.ALL -> {
            for (OfPort p : lastPorts.values()) {
                if (p.number() != key.inPort) {
                    sender.send(p.number(), frame, len);
                }
            }
        }
        case OfPorts.TABLE -> {
            scratchKey.copyFrom(key);
            receive(scratchKey, frame, len);
        }
        default -> {
            // As OVS, output to the input port itself is dropped: that takes IN_PORT.
            if (port != key.inPort && (port < OfPorts.MAX || port == OfPorts.LOCAL)) {
                sender.send(port, frame, len);
            }
        }
        }
    }

    @Override
    public void toController(FlowKey key, byte[] frame, int len, int maxLen, int table, long cookie,
            boolean tableMiss) {
        toController(key, frame, len, maxLen, table, cookie, tableMiss ? AsyncMessages.Reason.NO_MATCH
                : AsyncMessages.Reason.ACTION);
    }

    private void toController(FlowKey key, byte[] frame, int len, int maxLen, int table, long cookie,
            AsyncMessages.Reason reason) {
        for (OfSession s : sessions()) {
            if (s.wantsAsync()) {
                // As OVS: a table-miss flow's packet-in says no_match from OpenFlow 1.3 on, action before.
                AsyncMessages.Reason r = reason == AsyncMessages.Reason.NO_MATCH && s.version < OfWire.OF13
                        ? AsyncMessages.Reason.ACTION : reason;
                s.send(AsyncMessages.packetIn(s.factory, r, key.inPort, frame, len, maxLen, table, cookie));
            }
        }
    }

    /** The text of bridge/dump-flows: every flow with its counters, as OVS. */
    public String dumpFlows() {
        StringBuilder sb = new StringBuilder();
        long now = now();
        for (int t = 0; t < FlowTables.N_TABLES; t++) {
            for (FlowEntry e : tables.table(t)) {
                sb.append(FlowText.format(e, now)).append('\n');
            }
        }
        return sb.toString();
    }
}
