package org.jovs.vswitchd.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Controller targets as ovs-vswitchd(8) lists the connection methods. */
class ControllerTargetTest {
    @Test
    void validTargets() {
        for (String t : new String[] {"tcp:127.0.0.1", "tcp:127.0.0.1:6653", "tcp:[::1]:6653", "tcp:ctl.example",
            "ssl:10.0.0.1:6653", "unix:/run/ctl.sock", "punix:/run/br0.snoop", "ptcp:", "ptcp:6653",
            "ptcp:6653:127.0.0.1", "pssl:6653:[::1]"}) {
            assertNull(ControllerTarget.verify(t), t);
        }
    }

    @Test
    void invalidTargets() {
        assertEquals("unknown connection method \"foo\"", ControllerTarget.verify("foo:1.2.3.4"));
        assertEquals("unknown connection method \"nonsense\"", ControllerTarget.verify("nonsense"));
        assertEquals("bad port number 70000", ControllerTarget.verify("tcp:1.2.3.4:70000"));
        assertEquals("bad peer address (expected tcp:HOST[:PORT])", ControllerTarget.verify("tcp:"));
        assertEquals("missing socket file name", ControllerTarget.verify("unix:"));
        assertEquals("bad listen address (expected ptcp:[PORT][:IP])", ControllerTarget.verify("ptcp:x"));
    }
}
