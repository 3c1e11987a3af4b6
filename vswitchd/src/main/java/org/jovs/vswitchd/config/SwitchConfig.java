package org.jovs.vswitchd.config;

import java.util.List;
import java.util.Map;

/**
 * The configuration the bridge layer applies: the part of the OVSDB Open_vSwitch, Bridge, Port,
 * Interface and Controller tables that the daemon honours, read either from the database or from
 * a configuration file. Immutable value objects: a new configuration is a new SwitchConfig, and
 * the bridge layer compares it with what it has.
 *
 * <p>Each record's 'key' identifies the database row it came from (its UUID), so that status can
 * be written back to it; it is null for configuration from a file.
 *
 * @param otherConfig Open_vSwitch other_config
 * @param nextCfg Open_vSwitch next_cfg
 * @param bridges the bridges, in the order configured
 */
public record SwitchConfig(Map<String, String> otherConfig, long nextCfg, List<BridgeConfig> bridges) {
    /** Nothing configured: what the daemon runs with before the database answers. */
    public static final SwitchConfig EMPTY = new SwitchConfig(Map.of(), 0, List.of());

    /**
     * One bridge.
     *
     * @param datapathType "" or "system" (the kernel datapath) or "netdev" (userspace)
     * @param failMode "standalone", "secure", or null (standalone)
     * @param protocols OpenFlow versions allowed, e.g. "OpenFlow13"; empty for the default set
     * @param otherConfig other_config, of which "datapath-id" and "hwaddr" are honoured
     */
    public record BridgeConfig(String key, String name, String datapathType, String failMode, List<String> protocols,
            Map<String, String> otherConfig, List<ControllerConfig> controllers, List<PortConfig> ports) {
    }

    /**
     * One port: a name, one or more interfaces, and its VLAN configuration.
     *
     * @param tag the access VLAN, or null
     * @param trunks the trunk VLANs (empty: all)
     */
    public record PortConfig(String key, String name, Long tag, List<Long> trunks, List<InterfaceConfig> interfaces) {
    }

    /**
     * One interface.
     *
     * @param type "" (a system device), "system", "internal" or "tap"; anything else cannot be opened
     * @param ofportRequest the OpenFlow port number asked for, or null
     */
    public record InterfaceConfig(String key, String name, String type, Long ofportRequest, Map<String, String> options,
            Long mtuRequest) {
    }

    /**
     * One OpenFlow controller, recorded until the OpenFlow connection manager exists.
     *
     * @param inactivityProbe ms, or null for the default
     * @param maxBackoff ms, or null for the default
     */
    public record ControllerConfig(String key, String target, Long inactivityProbe, Long maxBackoff) {
    }
}
