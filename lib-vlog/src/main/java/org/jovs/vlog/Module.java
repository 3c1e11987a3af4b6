package org.jovs.vlog;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A vlog module: a name as {@code vlog/list} shows it, a level per destination, and whether its
 * rate limits are honored. Several Logback loggers may feed one module (see {@link ModuleNames});
 * 'anchors' are the Logback logger names whose level vlog sets for this module, so that their
 * descendants inherit it. Only the engine touches a module, under its lock.
 */
final class Module {
    final String name;
    final Level[] levels = new Level[Destination.values().length];
    boolean honorRateLimits;
    final Set<String> anchors = new LinkedHashSet<>();

    Module(String name, Level[] levels, boolean honorRateLimits) {
        this.name = name;
        System.arraycopy(levels, 0, this.levels, 0, levels.length);
        this.honorRateLimits = honorRateLimits;
    }

    Level level(Destination d) {
        return levels[d.ordinal()];
    }
}
