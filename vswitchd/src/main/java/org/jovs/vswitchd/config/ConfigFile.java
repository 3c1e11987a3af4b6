package org.jovs.vswitchd.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.vswitchd.bridge.ControllerTarget;
import org.jovs.vswitchd.config.SwitchConfig.BridgeConfig;
import org.jovs.vswitchd.config.SwitchConfig.ControllerConfig;
import org.jovs.vswitchd.config.SwitchConfig.InterfaceConfig;
import org.jovs.vswitchd.config.SwitchConfig.PortConfig;

/**
 * The configuration file: JSON whose structure mirrors the OVSDB tables the daemon honours.
 *
 * <pre>
 * {"other_config": {...},
 *  "bridges": [{"name": "br0", "datapath_type": "netdev", "fail_mode": "standalone",
 *               "protocols": ["OpenFlow13"], "other_config": {"datapath-id": "...", "hwaddr": "..."},
 *               "controller": [{"target": "tcp:127.0.0.1:6653", "inactivity_probe": 5000, "max_backoff": 8000}],
 *               "ports": [{"name": "p1", "tag": 10, "trunks": [20, 30],
 *                          "interfaces": [{"name": "p1", "type": "internal", "ofport_request": 5,
 *                                          "options": {"tx_pcap": "p1.pcap"}}]},
 *                         {"name": "veth0"}]}]}
 * </pre>
 *
 * A port without "interfaces" has one interface named like it, whose "type", "ofport_request"
 * and "options" may be given on the port. "datapath_type" defaults to "netdev"; "dummy" (with
 * interface types "dummy" and "dummy-internal") needs --enable-dummy. Every bridge
 * gets its own internal port (named like the bridge), as {@code ovs-vsctl add-br} adds it.
 *
 * <p>Parsing checks what the OVSDB schema and ovs-vswitchd would reject, and reports each problem
 * with the path of the field ("bridges[0].ports[2].tag: ..."). The element at fault is left out (a
 * bad optional bridge setting falls back to its default) and the rest is kept, so that a mistake
 * in one port does not take the whole switch down. Pure logic.
 */
public final class ConfigFile {
    /** The configuration without any file: bridge br0 on the userspace datapath, standalone, no ports. */
    public static final SwitchConfig DEFAULT = new SwitchConfig(Map.of(), 0, List.of(
            new BridgeConfig(null, "br0", "netdev", "standalone", List.of(), Map.of(), List.of(),
                    List.of(localPort("br0")))));

    private static final Set<String> DATAPATH_TYPES = Set.of("netdev", "system", "dummy");
    private static final Set<String> IFACE_TYPES = Set.of("", "system", "internal", "tap", "dummy", "dummy-internal");
    private static final Set<String> PROTOCOLS = Set.of("OpenFlow10", "OpenFlow11", "OpenFlow12", "OpenFlow13",
            "OpenFlow14", "OpenFlow15");
    /** IFNAMSIZ - 1: the longest device name Linux takes. */
    private static final int MAX_NAME = 15;

    /** The outcome of parsing: the configuration (null if the file is unusable) and the problems found. */
    public record Result(SwitchConfig config, List<String> errors) {
    }

    private final List<String> errors = new ArrayList<>();
    private final Set<String> portNames = new HashSet<>();
    private final Set<String> ifaceNames = new HashSet<>();

    private ConfigFile() {
    }

    /** Parses the text of a configuration file. */
    public static Result parse(String text) {
        ConfigFile p = new ConfigFile();
        Object json;
        try {
            json = Json.parse(text);
        } catch (JsonException e) {
            return new Result(null, List.of(e.getMessage()));
        }
        if (!(json instanceof Map<?, ?> top)) {
            return new Result(null, List.of("the configuration must be a JSON object"));
        }
        SwitchConfig cfg = p.top(top);
        return new Result(cfg, List.copyOf(p.errors));
    }

    private SwitchConfig top(Map<?, ?> top) {
        checkFields("", top, Set.of("other_config", "bridges"));
        Map<String, String> otherConfig = stringMap("other_config", top.get("other_config"));
        List<BridgeConfig> bridges = new ArrayList<>();
        Set<String> bridgeNames = new HashSet<>();
        List<?> list = list("bridges", top.get("bridges"));
        for (int i = 0; i < list.size(); i++) {
            String path = "bridges[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> b)) {
                error(path, "must be an object; bridge ignored");
                continue;
            }
            String name = name(path, b.get("name"));
            if (name == null) {
                continue;
            }
            if (!bridgeNames.add(name)) {
                error(path + ".name", "bridge \"" + name + "\" is configured twice; second one ignored");
                continue;
            }
            BridgeConfig br = bridge(path, name, b);
            if (br != null) {
                bridges.add(br);
            }
        }
        return new SwitchConfig(otherConfig, 0, bridges);
    }

    private BridgeConfig bridge(String path, String name, Map<?, ?> b) {
        checkFields(path, b, Set.of("name", "datapath_type", "fail_mode", "protocols", "other_config", "controller",
                "ports"));
        String dpType = "netdev";
        if (b.containsKey("datapath_type")) {
            Object t = b.get("datapath_type");
            if (!(t instanceof String s) || !DATAPATH_TYPES.contains(s)) {
                error(path + ".datapath_type", "unknown datapath type " + Json.toString(t)
                        + " (expected \"netdev\", \"system\" or \"dummy\"); bridge " + name + " ignored");
                return null;
            }
            dpType = s;
        }
        String failMode = null;
        if (b.containsKey("fail_mode")) {
            Object f = b.get("fail_mode");
            if ("standalone".equals(f) || "secure".equals(f)) {
                failMode = (String) f;
            } else {
                error(path + ".fail_mode", "unknown fail mode " + Json.toString(f)
                        + " (expected \"standalone\" or \"secure\"); using standalone");
            }
        }
        List<String> protocols = new ArrayList<>();
        List<?> protos = list(path + ".protocols", b.get("protocols"));
        for (int i = 0; i < protos.size(); i++) {
            Object v = protos.get(i);
            if (v instanceof String s && PROTOCOLS.contains(s)) {
                protocols.add(s);
            } else {
                error(path + ".protocols[" + i + "]", "unknown OpenFlow version " + Json.toString(v) + "; ignored");
            }
        }
        Map<String, String> otherConfig = stringMap(path + ".other_config", b.get("other_config"));
        checkHwaddr(path + ".other_config.hwaddr", otherConfig);
        checkDatapathId(path + ".other_config.datapath-id", otherConfig);

        List<ControllerConfig> controllers = new ArrayList<>();
        List<?> ctls = list(path + ".controller", b.get("controller"));
        for (int i = 0; i < ctls.size(); i++) {
            ControllerConfig c = controller(path + ".controller[" + i + "]", ctls.get(i));
            if (c != null) {
                controllers.add(c);
            }
        }

        List<PortConfig> ports = new ArrayList<>();
        List<?> plist = list(path + ".ports", b.get("ports"));
        for (int i = 0; i < plist.size(); i++) {
            PortConfig p = port(path + ".ports[" + i + "]", plist.get(i));
            if (p != null) {
                ports.add(p);
            }
        }
        if (ports.stream().noneMatch(p -> p.name().equals(name)) && portNames.add(name) && ifaceNames.add(name)) {
            ports.add(0, localPort(name));
        }
        return new BridgeConfig(null, name, dpType, failMode, protocols, otherConfig, controllers, ports);
    }

    private static PortConfig localPort(String bridge) {
        return new PortConfig(null, bridge, null, List.of(), List.of(new InterfaceConfig(null, bridge, "internal", null, Map.of(), null)));
    }

    private void checkHwaddr(String path, Map<String, String> otherConfig) {
        String hw = otherConfig.get("hwaddr");
        if (hw != null && !hw.matches("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}")) {
            error(path, "\"" + hw + "\" is not an Ethernet address (expected xx:xx:xx:xx:xx:xx); ignored");
            otherConfig.remove("hwaddr");
        } else if (hw != null && (Integer.parseInt(hw.split(":")[0], 16) & 1) != 0) {
            error(path, "\"" + hw + "\" is a multicast address; ignored");
            otherConfig.remove("hwaddr");
        }
    }

    private void checkDatapathId(String path, Map<String, String> otherConfig) {
        String id = otherConfig.get("datapath-id");
        if (id != null && (!id.matches("[0-9a-fA-F]{16}") || id.matches("0{16}"))) {
            error(path, "\"" + id + "\" is not a datapath ID (expected 16 hex digits, not all zero); ignored");
            otherConfig.remove("datapath-id");
        }
    }

    private ControllerConfig controller(String path, Object json) {
        if (!(json instanceof Map<?, ?> c)) {
            error(path, "must be an object; controller ignored");
            return null;
        }
        checkFields(path, c, Set.of("target", "inactivity_probe", "max_backoff"));
        if (!(c.get("target") instanceof String target)) {
            error(path + ".target", "missing or not a string; controller ignored");
            return null;
        }
        String why = ControllerTarget.verify(target);
        if (why != null) {
            error(path + ".target", "bad controller target \"" + target + "\": " + why + "; controller ignored");
            return null;
        }
        String ignored = "; controller ignored";
        Long probe = optInteger(path + ".inactivity_probe", c.get("inactivity_probe"), 0, Long.MAX_VALUE, ignored);
        Long backoff = optInteger(path + ".max_backoff", c.get("max_backoff"), 1000, Long.MAX_VALUE, ignored);
        if (probe == null && c.get("inactivity_probe") != null || backoff == null && c.get("max_backoff") != null) {
            return null;
        }
        return new ControllerConfig(null, target, probe, backoff);
    }

    private PortConfig port(String path, Object json) {
        if (!(json instanceof Map<?, ?> p)) {
            error(path, "must be an object; port ignored");
            return null;
        }
        String name = name(path, p.get("name"));
        if (name == null) {
            return null;
        }
        boolean hasIfaces = p.containsKey("interfaces");
        checkFields(path, p, hasIfaces ? Set.of("name", "tag", "trunks", "interfaces")
                : Set.of("name", "tag", "trunks", "type", "ofport_request", "options"));
        String ignored = "; port " + name + " ignored";
        Long tag = null;
        if (p.containsKey("tag")) {
            tag = vlan(path + ".tag", p.get("tag"), ignored);
            if (tag == null) {
                return null;
            }
        }
        List<Long> trunks = new ArrayList<>();
        if (p.containsKey("trunks")) {
            if (!(p.get("trunks") instanceof List<?> tl)) {
                error(path + ".trunks", "must be an array of VLANs" + ignored);
                return null;
            }
            for (int i = 0; i < tl.size(); i++) {
                Long v = vlan(path + ".trunks[" + i + "]", tl.get(i), ignored);
                if (v == null) {
                    return null;
                }
                trunks.add(v);
            }
        }
        List<InterfaceConfig> ifaces = new ArrayList<>();
        if (hasIfaces) {
            if (!(p.get("interfaces") instanceof List<?> il) || il.isEmpty()) {
                error(path + ".interfaces", "must be a non-empty array" + ignored);
                return null;
            }
            for (int i = 0; i < il.size(); i++) {
                String ipath = path + ".interfaces[" + i + "]";
                if (!(il.get(i) instanceof Map<?, ?> im)) {
                    error(ipath, "must be an object" + ignored);
                    return null;
                }
                checkFields(ipath, im, Set.of("name", "type", "ofport_request", "options"));
                String iname = name(ipath, im.get("name"));
                InterfaceConfig ic = iname == null ? null : iface(ipath, iname, im, ignored);
                if (ic == null) {
                    return null;
                }
                ifaces.add(ic);
            }
        } else {
            InterfaceConfig ic = iface(path, name, p, ignored);
            if (ic == null) {
                return null;
            }
            ifaces.add(ic);
        }
        if (!portNames.add(name)) {
            error(path + ".name", "duplicate port \"" + name + "\"; second one ignored");
            return null;
        }
        for (int i = 0; i < ifaces.size(); i++) {
            String iname = ifaces.get(i).name();
            if (!ifaceNames.add(iname)) {
                error(path + (hasIfaces ? ".interfaces[" + i + "].name" : ".name"),
                        "duplicate interface \"" + iname + "\"" + ignored);
                for (int j = 0; j < i; j++) {
                    ifaceNames.remove(ifaces.get(j).name());
                }
                portNames.remove(name);
                return null;
            }
        }
        return new PortConfig(null, name, tag, trunks, ifaces);
    }

    private InterfaceConfig iface(String path, String name, Map<?, ?> m, String ignored) {
        String type = "";
        if (m.containsKey("type")) {
            Object t = m.get("type");
            if (!(t instanceof String s) || !IFACE_TYPES.contains(s)) {
                error(path + ".type", "unknown interface type " + Json.toString(t)
                        + " (expected \"system\", \"internal\", \"tap\", \"dummy\" or \"dummy-internal\")" + ignored);
                return null;
            }
            type = s;
        }
        Long req = null;
        if (m.containsKey("ofport_request")) {
            req = optInteger(path + ".ofport_request", m.get("ofport_request"), 1, 65279, ignored);
            if (req == null) {
                return null;
            }
        }
        return new InterfaceConfig(null, name, type, req, stringMap(path + ".options", m.get("options")), null);
    }

    private Long vlan(String path, Object v, String ignored) {
        if (!(v instanceof Long l) || l < 0 || l > 4095) {
            error(path, Json.toString(v) + " is not a valid VLAN (0 to 4095)" + ignored);
            return null;
        }
        return l;
    }

    /** A device name: a non-empty string of at most 15 bytes without '/' or white space. */
    private String name(String path, Object v) {
        if (!(v instanceof String s) || s.isEmpty()) {
            error(path + ".name", "missing or empty; ignored");
            return null;
        }
        if (s.length() > MAX_NAME || s.contains("/") || s.chars().anyMatch(Character::isWhitespace)) {
            error(path + ".name", "\"" + s + "\" is not a valid device name (at most 15 characters, no '/' or spaces); ignored");
            return null;
        }
        return s;
    }

    private Long optInteger(String path, Object v, long min, long max, String ignored) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long l) || l < min || l > max) {
            error(path, Json.toString(v) + " is not an integer in range " + min + " to "
                    + (max == Long.MAX_VALUE ? "infinity" : String.valueOf(max)) + ignored);
            return null;
        }
        return l;
    }

    private List<?> list(String path, Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            error(path, "must be an array; ignored");
            return List.of();
        }
        return l;
    }

    private Map<String, String> stringMap(String path, Object v) {
        Map<String, String> out = new TreeMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            error(path, "must be an object of strings; ignored");
            return out;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() instanceof String s) {
                out.put((String) e.getKey(), s);
            } else {
                error(path + "." + e.getKey(), "must be a string; ignored");
            }
        }
        return out;
    }

    private void checkFields(String path, Map<?, ?> m, Set<String> known) {
        for (Object k : new LinkedHashMap<>(m).keySet()) {
            if (!known.contains(k)) {
                error(path.isEmpty() ? (String) k : path + "." + k, "unknown field; ignored");
            }
        }
    }

    private void error(String path, String message) {
        errors.add(path + ": " + message);
    }
}
