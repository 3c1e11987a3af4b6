package org.jovs.core;

/**
 * The version every jovs program reports (--version, and the unixctl "version" command). We
 * implement the behaviour of Open vSwitch 3.1's programs, and say so in OVS's own format, with
 * our name and version as the package suffix OVS builds carry.
 */
public final class Version {
    public static final String OVS = "3.1.0";
    public static final String JOVS = "0.1.0";

    private Version() {
    }

    /** E.g. "ovs-vswitchd (Open vSwitch) 3.1.0 (jovs 0.1.0)", without a new-line. */
    public static String programVersion(String program) {
        return program + " (Open vSwitch) " + OVS + " (jovs " + JOVS + ")";
    }
}
