package org.jovs.vswitchd.netdev;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;

/**
 * The netdev layer: opens a device of a netdev class through the provider that serves the class,
 * as OVS's netdev_open() looks the class up in its provider table. "system" and "tap" are
 * netdev-linux ({@link LinuxNetdevs}); "dummy", "dummy-internal" and "dummy-pmd" are netdev-dummy
 * ({@link DummyNetdevs}), present only with {@code --enable-dummy}. As OVS's
 * netdev_dummy_override(), {@code --enable-dummy=system} serves "system" with dummy devices and
 * {@code --enable-dummy=override} serves "system" and "tap" with them too, so that a test
 * configuration with ordinary port types runs without a kernel device.
 *
 * <p>It also keeps the Interface statistics column's cadence: every open device's counters are
 * sampled together every 5 s, or as other_config:stats-update-interval says (at least 5 s), and
 * {@link Netdev#sampledStatistics()} gives the last sample, as OVS's bridge refreshes them only on
 * its statistics timer.
 *
 * <p>Main-loop contract: {@link #run()} follows device events and samples statistics when due;
 * {@link #waitFor(PollLoop)} registers what that needs. {@link #changeSeqno()} moves whenever
 * anything a port reports changed. Main thread only. A device name is open at most once.
 */
public final class Netdevs implements AutoCloseable {
    /** OVS's default and smallest interval between statistics refreshes. */
    static final long MIN_STATS_INTERVAL_MS = 5000;

    /** How far --enable-dummy goes, as OVS's enum dummy_level. */
    public enum DummyLevel {
        /** No --enable-dummy: no dummy devices. */
        DISABLED,
        /** --enable-dummy: the dummy classes exist beside the others. */
        ENABLED,
        /** --enable-dummy=system: "system" devices are dummies too. */
        SYSTEM,
        /** --enable-dummy=override: every device class is served by dummies. */
        OVERRIDE;

        /** The level for --enable-dummy's argument; null for an unknown one. */
        public static DummyLevel parse(String arg) {
            if (arg == null || arg.isEmpty()) {
                return ENABLED;
            }
            switch (arg) {
            case "system":
                return SYSTEM;
            case "override":
                return OVERRIDE;
            default:
                return null;
            }
        }
    }

    /** Why a device could not be opened: an errno, reported as OVS does. */
    public static final class OpenException extends Exception {
        private static final long serialVersionUID = 1L;
        public final int errno;

        public OpenException(int errno) {
            super(Native.strerror(errno));
            this.errno = errno;
        }
    }

    private final LinuxNetdevs linux;
    private final DummyNetdevs dummy;
    private final DummyLevel level;
    private final Map<String, Netdev> open = new HashMap<>();
    private long changeSeqno;
    private long nextStats;
    private long statsInterval = MIN_STATS_INTERVAL_MS;

    private Netdevs(LinuxNetdevs linux, DummyLevel level) {
        this.linux = linux;
        this.level = level;
        this.dummy = level == DummyLevel.DISABLED ? null : new DummyNetdevs(() -> changeSeqno++);
    }

    /** The netdev layer of the calling thread's network namespace, with dummies as 'level' says. */
    public static Netdevs open(DummyLevel level) throws IOException {
        return new Netdevs(LinuxNetdevs.open(), level);
    }

    /** The dummy devices, or null without --enable-dummy. */
    public DummyNetdevs dummies() {
        return dummy;
    }

    /** True if some provider serves netdev class 'type'. */
    public boolean knownType(String type) {
        return isDummyType(type) || type.equals("system") || type.equals("tap");
    }

    private boolean isDummyType(String type) {
        if (dummy == null) {
            return false;
        }
        switch (type) {
        case "dummy":
        case "dummy-internal":
        case "dummy-pmd":
            return true;
        case "system":
            return level == DummyLevel.SYSTEM || level == DummyLevel.OVERRIDE;
        case "tap":
            return level == DummyLevel.OVERRIDE;
        default:
            return false;
        }
    }

    /**
     * Opens device 'name' of netdev class 'type' (see {@link #knownType}). A "system" device
     * must exist, a "tap" is created (or attached to), a dummy is created. A device already open
     * is shared if of the same class.
     */
    public Netdev open(String name, String type) throws OpenException {
        Netdev existing = open.get(name);
        if (existing != null) {
            if (!existing.type.equals(type)) {
                throw new OpenException(Native.EEXIST);
            }
            return existing;
        }
        Netdev dev = isDummyType(type) ? dummy.create(name, type) : linux.open(name, type);
        dev.sampled = dev.statistics();
        open.put(name, dev);
        return dev;
    }

    /**
     * Closes 'dev'. With 'delete', a tap device is deleted, as netdev-linux does when a tap port
     * goes away; without, it stays (persistent) for whoever opens it next.
     */
    public void close(Netdev dev, boolean delete) {
        if (!open.remove(dev.name, dev)) {
            return;
        }
        if (dev instanceof DummyNetdev) {
            dummy.destroy((DummyNetdev) dev);
        } else {
            linux.close((LinuxNetdev) dev, delete);
        }
    }

    /**
     * Sets the statistics refresh interval (Open_vSwitch other_config:stats-update-interval), at
     * least 5 s, as OVS.
     */
    public void setStatsInterval(long ms) {
        long interval = Math.max(ms, MIN_STATS_INTERVAL_MS);
        if (interval != statsInterval) {
            nextStats = Math.min(nextStats, TimeVal.msec() + interval);
            statsInterval = interval;
        }
    }

    /** Moves whenever some open device's reported state changed. */
    public long changeSeqno() {
        return changeSeqno + linux.changeSeqno();
    }

    /** True (once) if devices appeared or vanished since the last call: time to reconfigure. */
    public boolean devicesChanged() {
        return linux.devicesChanged();
    }

    public void run() {
        linux.run();
        if (dummy != null) {
            dummy.run();
        }
        long now = TimeVal.msec();
        if (now >= nextStats) {
            nextStats = now + statsInterval;
            if (!open.isEmpty()) {
                sampleStats();
            }
        }
    }

    private void sampleStats() {
        linux.refreshStats();
        for (Netdev dev : open.values()) {
            Map<String, Long> now = dev.statistics();
            if (!Objects.equals(now, dev.sampled)) {
                dev.sampled = now;
                changeSeqno++;
            }
        }
    }

    public void waitFor(PollLoop loop) {
        linux.waitFor(loop);
        if (dummy != null) {
            dummy.waitFor(loop);
        }
        if (!open.isEmpty()) {
            loop.timerWaitUntil(nextStats);
        }
    }

    /**
     * Closes the providers. Open taps stay (they are persistent), as OVS leaves its devices when
     * it exits without --cleanup.
     */
    @Override
    public void close() {
        linux.close();
    }
}
