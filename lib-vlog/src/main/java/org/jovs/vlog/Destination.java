package org.jovs.vlog;

/**
 * Where log messages go, in OVS's order (which {@code vlog/list-pattern} follows), with each
 * destination's default pattern from OVS 3.1.
 */
public enum Destination {
    SYSLOG("ovs|%05N|%c%T|%p|%m"),
    CONSOLE("%D{%Y-%m-%dT%H:%M:%SZ}|%05N|%c%T|%p|%m"),
    FILE("%D{%Y-%m-%dT%H:%M:%S.###Z}|%05N|%c%T|%p|%m");

    final String defaultPattern;

    Destination(String defaultPattern) {
        this.defaultPattern = defaultPattern;
    }

    /** The destination called 'name' in any case, or null. */
    static Destination fromName(String name) {
        for (Destination d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        return null;
    }
}
