package org.jovs.vswitchd;

import java.io.IOException;

import org.jovs.core.CommandLine.UsageException;
import org.jovs.core.Daemon;
import org.jovs.core.Version;
import org.jovs.vlog.Vlog;
import org.jovs.vlog.VlogException;

/**
 * ovs-vswitchd's main(): parse the command line, answer --help and --version, detach, start
 * logging, then run the daemon ({@link VSwitchd}).
 *
 * <p>This class deliberately holds no logger: with --detach, the process the user started only
 * waits for its detached copy to become ready, and must not spend time initializing logging.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        VSwitchdOptions options;
        try {
            options = VSwitchdOptions.parse(args);
        } catch (UsageException e) {
            System.err.println(VSwitchdOptions.PROGRAM + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.help) {
            System.out.print(VSwitchdOptions.usage());
            System.exit(0);
        }
        if (options.version) {
            System.out.print(Version.versionText(VSwitchdOptions.PROGRAM));
            System.exit(0);
        }
        try {
            Daemon.detachIfRequested(options.daemon);
        } catch (IOException e) {
            System.err.println(VSwitchdOptions.PROGRAM + ": " + e.getMessage());
            System.exit(1);
        }
        try {
            Vlog.declareModules(VSwitchdOptions.VLOG_MODULES);
            Vlog.init(VSwitchdOptions.PROGRAM, options.verbose, options.logFile, options.syslogTarget,
                    options.syslogMethod);
        } catch (VlogException e) {
            if (!e.alreadyLogged()) {
                System.err.println(VSwitchdOptions.PROGRAM + ": " + e.getMessage());
            }
            System.exit(1);
        }
        System.exit(new VSwitchd(options).run());
    }
}
