package org.jovs.utilities;

import java.nio.file.Path;
import java.util.Map;

/**
 * The comparison table against the real ovs-vswitchd (on an empty database served by a private
 * real ovsdb-server), which is also the default target.
 */
class VswitchdAppCtlTest extends AppCtlComparisonTest {
    @Override
    protected Daemon startDaemon() throws Exception {
        RealOvs ovs = new RealOvs();
        try {
            ovs.startOvsdbServer();
            ovs.startVswitchd();
        } catch (Exception e) {
            ovs.close();
            throw e;
        }
        return new Daemon() {
            @Override
            public String name() {
                return "ovs-vswitchd";
            }

            @Override
            public Path dir() {
                return ovs.dir();
            }

            @Override
            public Map<String, String> env() {
                return ovs.env();
            }

            @Override
            public void close() throws Exception {
                ovs.close();
            }
        };
    }
}
