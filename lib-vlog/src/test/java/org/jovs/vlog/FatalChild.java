package org.jovs.vlog;

import java.util.Arrays;

import org.jovs.core.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process {@link FatalTest} starts: sets vlog up as the daemon does (program "ovs-vswitchd",
 * args[0] as --log-file's argument, the rest as -v specs), with one INFO line before and one
 * after, then dies through {@link Fatal#exit}. A setup error is printed and exits 1, as the daemon does.
 */
public final class FatalChild {
    private static final Logger LOG = LoggerFactory.getLogger("fatal_child");

    private FatalChild() {
    }

    public static void main(String[] args) {
        LOG.info("before init");
        try {
            Vlog.init("ovs-vswitchd", Arrays.asList(args).subList(1, args.length), args[0], null,
                    "null");
        } catch (VlogException e) {
            if (!e.alreadyLogged()) {
                System.err.println("ovs-vswitchd: " + e.getMessage());
            }
            System.exit(1);
        }
        LOG.info("about to die");
        Fatal.exit(LOG, "cannot continue: {}", "reason");
    }
}
