package org.jovs.vswitchd.config;

import java.io.IOException;
import java.nio.file.Path;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.UnixSocket;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.netlink.SystemStats;
import org.jovs.vswitchd.bridge.Switch;
import org.slf4j.LoggerFactory;

/**
 * Where the daemon's configuration comes from and goes back to: the OVSDB database
 * ({@link DatabaseConfig}) or a file ({@link FileConfig}). The main loop calls {@link #run()} and
 * {@link #waitFor(PollLoop)} every iteration; neither blocks. The runner drives the switch it was
 * given.
 */
public interface ConfigRunner extends AutoCloseable {
    void run();

    void waitFor(PollLoop loop);

    /** Registers the runner's and the switch's unixctl commands. */
    void registerCommands(UnixctlServer server);

    /** Asks for the configuration to be read again (SIGHUP). */
    default void reload() {
    }

    /** Deletes every bridge and the devices they made: for `exit --cleanup`, before close(). */
    void cleanup();

    /** True once the first configuration is in effect: the daemon may then report that it started. */
    default boolean ready() {
        return true;
    }

    @Override
    void close();

    /**
     * The runner for the command line: from 'configFile' if given; else from 'database' if given;
     * else from the database at 'defaultDatabase' if an ovsdb-server listens there, otherwise from
     * the built-in default configuration.
     */
    static ConfigRunner open(String database, Path configFile, String defaultDatabase, Switch sw,
            SystemStats systemStats) throws IOException {
        if (configFile != null) {
            return new FileConfig(configFile, sw);
        }
        if (database != null) {
            return new DatabaseConfig(database, sw, systemStats);
        }
        if (reachable(defaultDatabase)) {
            return new DatabaseConfig(defaultDatabase, sw, systemStats);
        }
        LoggerFactory.getLogger("config").info("{}: no database server; running from the built-in configuration",
                defaultDatabase);
        return new FileConfig(null, sw);
    }

    /** True if a unix: socket accepts a connection (which is closed again at once). */
    private static boolean reachable(String remote) {
        try {
            Native.closeQuietly(UnixSocket.connect(remote.substring("unix:".length())));
            return true;
        } catch (NativeException e) {
            return false;
        }
    }
}
