package org.jovs.core.unixctl;

import java.util.List;

/**
 * The implementation of one unixctl command, called by {@link UnixctlServer#run()} on the main
 * thread. 'args' holds the command's arguments (not its name), already checked against the
 * registered minimum and maximum. The handler replies through 'conn', either before it returns or
 * later (a deferred reply), exactly once.
 */
@FunctionalInterface
public interface UnixctlHandler {
    void handle(UnixctlConnection conn, List<String> args);
}
