package org.jovs.vswitchd;

/**
 * The version we report. We implement the behaviour of Open vSwitch 3.1's ovs-vswitchd, and say
 * so in OVS's own format, with our name and version as the package suffix OVS builds carry.
 */
public final class Version {
    public static final String OVS = "3.1.0";
    public static final String JOVS = "0.1.0";

    private Version() {
    }

    /** "ovs-vswitchd (Open vSwitch) 3.1.0 (jovs 0.1.0)", as --version and `version` print it. */
    public static String programVersion(String program) {
        return program + " (Open vSwitch) " + OVS + " (jovs " + JOVS + ")";
    }
}
