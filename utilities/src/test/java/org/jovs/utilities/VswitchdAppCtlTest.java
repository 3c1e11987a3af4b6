package org.jovs.utilities;

/**
 * The comparison table against the real ovs-vswitchd (on an empty database served by a private
 * real ovsdb-server), which is also the default target.
 */
class VswitchdAppCtlTest extends AppCtlComparisonTest {
    @Override
    protected Daemon startDaemon() throws Exception {
        return inSandbox("ovs-vswitchd", sandbox -> {
            sandbox.startOvsdbServer();
            sandbox.startVswitchd();
        });
    }
}
