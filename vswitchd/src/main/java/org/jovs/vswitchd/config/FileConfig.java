package org.jovs.vswitchd.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jovs.core.PollLoop;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.vswitchd.bridge.Switch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the switch from a configuration file ({@link ConfigFile}), or from the built-in default
 * (bridge br0 on the userspace datapath, no ports) when there is no file, for running without
 * ovsdb-server. {@code ovs-appctl config/reload} (and SIGHUP, through {@link #reload()}) reads the
 * file again and applies the difference.
 *
 * <p>Problems in the file are logged and returned by config/reload, naming the field; the rest of
 * the file still applies. A file that cannot be read or parsed at all leaves the running
 * configuration in place. Main-loop contract as {@link ConfigRunner}; reading the file is the only
 * I/O outside the switch, and it is small. Owns the switch it is given.
 */
public final class FileConfig implements ConfigRunner {
    private static final Logger LOG = LoggerFactory.getLogger("config");

    private final Path file;
    private final Switch sw;
    private SwitchConfig applied;
    private boolean reloadRequested;

    /**
     * Runs 'sw' from 'file', or from {@link ConfigFile#DEFAULT} if 'file' is null. The file is read
     * at once: an unreadable or unparsable file at startup is an error for the caller to report.
     */
    public FileConfig(Path file, Switch sw) throws IOException {
        this.file = file;
        this.sw = sw;
        List<String> errors = new ArrayList<>();
        SwitchConfig cfg = file == null ? ConfigFile.DEFAULT : read(errors);
        if (cfg == null) {
            throw new IOException(String.join("; ", errors));
        }
        apply(cfg, errors);
    }

    /** Reads the file again and applies it; returns the problems found (empty if none). */
    public List<String> load() {
        List<String> errors = new ArrayList<>();
        if (file == null) {
            apply(ConfigFile.DEFAULT, errors);
            return errors;
        }
        SwitchConfig cfg = read(errors);
        if (cfg == null) {
            errors.add(0, "configuration not changed");
            return errors;
        }
        apply(cfg, errors);
        return errors;
    }

    private SwitchConfig read(List<String> errors) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            errors.add(file + ": No such file or directory");
            LOG.error("{}", errors.get(errors.size() - 1));
            return null;
        } catch (IOException e) {
            errors.add(file + ": " + e.getMessage());
            LOG.error("{}", errors.get(errors.size() - 1));
            return null;
        }
        ConfigFile.Result r = ConfigFile.parse(text);
        for (String e : r.errors()) {
            errors.add(file + ": " + e);
            LOG.warn("{}: {}", file, e);
        }
        return r.config();
    }

    private void apply(SwitchConfig cfg, List<String> errors) {
        sw.reconfigure(cfg, key -> null);
        applied = cfg;
        errors.addAll(sw.errors());
    }

    @Override
    public void cleanup() {
        sw.destroyAll(true);
    }

    @Override
    public void reload() {
        reloadRequested = true;
    }

    @Override
    public void run() {
        sw.run();
        if (reloadRequested) {
            reloadRequested = false;
            load();
        } else if (sw.devicesChanged()) {
            // A device a port needs may have appeared: try again, as OVS does on link changes.
            sw.reconfigure(applied, key -> null);
        }
    }

    @Override
    public void waitFor(PollLoop loop) {
        sw.waitFor(loop);
        if (reloadRequested) {
            loop.immediateWake();
        }
    }

    @Override
    public void registerCommands(UnixctlServer server) {
        sw.registerCommands(server);
        server.register("config/reload", "", 0, 0, (conn, args) -> {
            List<String> errors = load();
            if (errors.isEmpty()) {
                conn.reply(null);
            } else {
                conn.replyError(String.join("\n", errors));
            }
        });
    }

    @Override
    public void close() {
        sw.close();
    }
}
