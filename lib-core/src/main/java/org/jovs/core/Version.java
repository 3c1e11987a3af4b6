package org.jovs.core;

/**
 * The version every jovs program reports. We implement the behaviour of Open vSwitch 3.1's
 * programs, so they report OVS's version in OVS's own words; --version then says on a line of
 * its own that this is jovs, and which jovs.
 *
 * <p>Scripts read these lines: Debian's ovs-ctl stores the last word of every --version line
 * naming "Open vSwitch" as the database's ovs_version, and ovs-lib and ovs-save take the first
 * line of the unixctl "version" reply (its last word must be a version for ovs-lib to stop the
 * daemon with "exit"). So OVS's line stays exactly OVS's, and the jovs line never names Open
 * vSwitch.
 */
public final class Version {
    public static final String OVS = "3.1.0";
    public static final String JOVS = "0.1.0";

    private Version() {
    }

    /**
     * OVS's version line, e.g. "ovs-vswitchd (Open vSwitch) 3.1.0", without a new-line: the
     * first line of --version, and the whole of the unixctl "version" reply, as in OVS.
     */
    public static String programVersion(String program) {
        return program + " (Open vSwitch) " + OVS;
    }

    /**
     * What --version prints, new-lines included: OVS's line (OVS's Debian build, without DPDK,
     * prints no other), then e.g. "jovs 0.1.0: a Java implementation of ovs-vswitchd".
     */
    public static String versionText(String program) {
        return programVersion(program) + "\n"
                + "jovs " + JOVS + ": a Java implementation of " + program + "\n";
    }
}
