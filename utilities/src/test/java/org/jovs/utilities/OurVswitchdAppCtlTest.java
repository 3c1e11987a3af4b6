package org.jovs.utilities;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The comparison table against our own ovs-vswitchd, started through its launcher with no
 * database. The vswitchd module is built before this one in a full build; when it has not been
 * built (e.g. "mvn -pl utilities -am"), there is nothing to test and the table is skipped.
 */
class OurVswitchdAppCtlTest extends AppCtlComparisonTest {
    private static final Path LAUNCHER = Path.of("../vswitchd/ovs-vswitchd").toAbsolutePath().normalize();

    @Override
    protected Daemon startDaemon() throws Exception {
        assumeTrue(Files.exists(LAUNCHER.resolveSibling("target/ovs-vswitchd.jar")),
                "our ovs-vswitchd is not built");
        return inSandbox("ovs-vswitchd", sandbox -> sandbox.startDaemon(LAUNCHER));
    }
}
