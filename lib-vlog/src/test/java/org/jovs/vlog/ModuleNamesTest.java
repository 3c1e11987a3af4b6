package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The logger-name to module-name rule and the Logback logger each module's level is set on. */
class ModuleNamesTest {
    private static void check(String logger, String module, String anchor) {
        assertEquals(module, ModuleNames.moduleName(logger), logger);
        assertEquals(anchor, ModuleNames.anchor(logger), logger);
    }

    @Test
    void ovsNamesAreUsedAsIs() {
        check("bridge", "bridge", "bridge");
        check("poll_loop", "poll_loop", "poll_loop");
        check("Foo", "Foo", "Foo");
    }

    @Test
    void knownLibrariesGetShortNames() {
        check("org.projectfloodlight.openflow.protocol.OFFactories", "loxi",
                "org.projectfloodlight.openflow");
        check("org.projectfloodlight.openflow", "loxi", "org.projectfloodlight.openflow");
        check("io.netty.buffer.PooledByteBufAllocator", "netty", "io.netty");
        check("org.newsclub.net.unix.AFSocket", "junixsocket", "org.newsclub");
        check("com.kohlschutter.util.X", "junixsocket", "com.kohlschutter");
        check("io.nettyx.Foo", "nettyx", "io.nettyx");
    }

    @Test
    void otherLoggersUseTheirLastPackageSegment() {
        check("com.example.cache.LruMap", "cache", "com.example.cache");
        check("com.example.cache.LruMap$Node", "cache", "com.example.cache");
        check("com.example.cache", "cache", "com.example.cache");
        check("com.Foo", "com", "com");
    }
}
