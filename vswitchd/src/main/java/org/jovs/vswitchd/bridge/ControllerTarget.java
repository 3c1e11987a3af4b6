package org.jovs.vswitchd.bridge;

import java.util.regex.Pattern;

/**
 * Checks OpenFlow controller targets: the active (tcp:, ssl:, unix:) and passive (ptcp:, pssl:,
 * punix:) connection methods of ovs-vswitchd(8), with the port and address syntax they take.
 * Pure logic.
 */
public final class ControllerTarget {
    private static final Pattern ACTIVE_INET = Pattern.compile("(?:tcp|ssl):(?:\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+)(?::(\\d+))?");
    private static final Pattern PASSIVE_INET = Pattern.compile("p(?:tcp|ssl):(\\d*)(?::(?:\\[[0-9a-fA-F:.]+\\]|[0-9.]+))?");

    private ControllerTarget() {
    }

    /** Null if 'target' is a valid controller target, else why not. */
    public static String verify(String target) {
        if (target.startsWith("unix:") || target.startsWith("punix:")) {
            return target.endsWith(":") ? "missing socket file name" : null;
        }
        if (target.startsWith("tcp:") || target.startsWith("ssl:")) {
            var m = ACTIVE_INET.matcher(target);
            if (!m.matches()) {
                return "bad peer address (expected " + target.substring(0, 3) + ":HOST[:PORT])";
            }
            return portError(m.group(1));
        }
        if (target.startsWith("ptcp:") || target.startsWith("pssl:")) {
            var m = PASSIVE_INET.matcher(target);
            if (!m.matches()) {
                return "bad listen address (expected " + target.substring(0, 4) + ":[PORT][:IP])";
            }
            return portError(m.group(1));
        }
        int colon = target.indexOf(':');
        return "unknown connection method \"" + (colon < 0 ? target : target.substring(0, colon)) + "\"";
    }

    private static String portError(String port) {
        if (port == null || port.isEmpty()) {
            return null;
        }
        return port.length() <= 5 && Integer.parseInt(port) <= 65535 ? null : "bad port number " + port;
    }
}
