package org.jovs.vlog;

/**
 * Which vlog module a Logback logger belongs to. Rule, in order:
 * <ol>
 * <li>Loggers of known libraries, by package prefix: {@code org.projectfloodlight.openflow} =
 * "loxi", {@code io.netty} = "netty", {@code org.newsclub} and {@code com.kohlschutter} =
 * "junixsocket".
 * <li>A name without dots is an OVS module name and is used as is ("bridge", "poll_loop").
 * <li>Otherwise the last package segment: the class name is dropped if the last segment starts
 * with an upper-case letter ({@code com.example.cache.LruMap} = "cache",
 * {@code com.example.cache} = "cache").
 * </ol>
 * The anchor is the Logback logger whose level vlog sets for the module: the library prefix, the
 * name itself, or the package, so that every logger under it inherits the module's level.
 */
final class ModuleNames {
    private static final String[][] LIBRARIES = {
        {"org.projectfloodlight.openflow", "loxi"},
        {"io.netty", "netty"},
        {"org.newsclub", "junixsocket"},
        {"com.kohlschutter", "junixsocket"},
    };

    private ModuleNames() {
    }

    static String moduleName(String logger) {
        for (String[] lib : LIBRARIES) {
            if (isUnder(logger, lib[0])) {
                return lib[1];
            }
        }
        String pkg = anchor(logger);
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }

    static String anchor(String logger) {
        for (String[] lib : LIBRARIES) {
            if (isUnder(logger, lib[0])) {
                return lib[0];
            }
        }
        int dot = logger.lastIndexOf('.');
        if (dot > 0 && dot + 1 < logger.length()
                && Character.isUpperCase(logger.charAt(dot + 1))) {
            return logger.substring(0, dot);
        }
        return logger;
    }

    private static boolean isUnder(String logger, String prefix) {
        return logger.startsWith(prefix)
                && (logger.length() == prefix.length() || logger.charAt(prefix.length()) == '.');
    }
}
