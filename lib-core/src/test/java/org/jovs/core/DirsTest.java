package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** abs_file_name() semantics: text joined as OVS joins it, not normalized. */
class DirsTest {
    @Test
    void absFileNameJoinsLikeOvs() {
        assertEquals("/abs/x", Dirs.absFileName("/run/ovs", "/abs/x"));
        assertEquals("/run/ovs/x.ctl", Dirs.absFileName("/run/ovs", "x.ctl"));
        assertEquals("/run/ovs/x.ctl", Dirs.absFileName("/run/ovs/", "x.ctl"));
        assertEquals("/run//ovs/./x.ctl", Dirs.absFileName("/run//ovs", "./x.ctl"));
        assertEquals("rel/x.ctl", Dirs.absFileName("rel", "x.ctl"));
        assertEquals(Path.of("").toAbsolutePath() + "/x.ctl", Dirs.absFileName("", "x.ctl"));
    }
}
