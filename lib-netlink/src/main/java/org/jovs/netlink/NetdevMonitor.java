package org.jovs.netlink;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.jovs.core.Coverage;
import org.jovs.core.PollLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The netdev runner: keeps a cache of every link's state from RTNLGRP_LINK notifications and turns
 * each change into {@link LinkEvent}s for a listener (the bridge), like OVS's netdev-linux on top of
 * its rtnetlink notifier.
 *
 * <p>Main-loop contract: {@link #run()} drains the notification socket without blocking, updates
 * the cache and calls the listener synchronously for each change, in the order the kernel reported
 * them; {@link #waitFor(PollLoop)} registers the socket. The cache is filled by one dump when the
 * monitor is created and is never dumped again, except after the kernel dropped notifications
 * (ENOBUFS): then one fresh dump is compared with the cache, and the differences become events, so
 * the listener still sees every net change. The monitor owns its notification socket; the dump
 * runs on the executor it is given (blocking, like any dump).
 */
public final class NetdevMonitor implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger("netdev_linux");
    private static final Coverage.Counter RESYNCS = Coverage.counter("netdev_linux_resync");
    /** Datagrams handled per run(), so a flood cannot hog the main loop; the rest wait for the next pass. */
    private static final int MAX_BATCH = 50;
    private static final long RESYNC_RETRY_MS = 1000;
    /** Bound on datagrams discarded before a resync, in case notifications never stop coming. */
    private static final int MAX_DISCARD = 10_000;
    private static final int AF_UNSPEC = 0;

    /** What changed about a link. One notification can produce several, in this declaration order. */
    public enum Change {
        /** A link appeared. */
        ADDED,
        /** Its name changed; {@link LinkEvent#previous()} has the old one. */
        RENAMED,
        /** IFF_UP was set. */
        UP,
        /** IFF_UP was cleared. */
        DOWN,
        /** IFF_RUNNING was set: the link has carrier and is operational. */
        CARRIER_UP,
        /** IFF_RUNNING was cleared. */
        CARRIER_DOWN,
        /** Its MTU, address, master or kind changed. */
        CHANGED,
        /** The link is gone (deleted, or moved to another namespace). */
        REMOVED
    }

    /** One change: the link's new state ('link'; for REMOVED its last state) and the state before. */
    public record LinkEvent(Change change, RtLink link, RtLink previous) {
    }

    /** Receives link events, on the thread that calls {@link #run()}. */
    public interface Listener {
        void linkChanged(LinkEvent event);
    }

    private final NlSocket notifications;
    private final Rtnetlink rtnl;
    private final Closeable ownedExecutor;
    private final Listener listener;
    private final Map<Integer, RtLink> links = new TreeMap<>();
    private boolean resyncNeeded;

    /**
     * Starts monitoring the calling thread's network namespace: subscribes to RTNLGRP_LINK, then
     * fills the cache with a dump through 'rtnl' (subscribing first, so no change falls between the
     * two). No events are delivered for the links that already exist; see {@link #links()}.
     */
    public NetdevMonitor(NlExecutor rtnl, Listener listener) throws IOException {
        this(rtnl, null, listener);
    }

    private NetdevMonitor(NlExecutor rtnl, Closeable ownedExecutor, Listener listener) throws IOException {
        this.rtnl = new Rtnetlink(rtnl);
        this.ownedExecutor = ownedExecutor;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.notifications = NlSocket.open(Netlink.NETLINK_ROUTE);
        try {
            notifications.joinGroup(Rtnetlink.RTNLGRP_LINK);
            for (RtLink link : this.rtnl.dumpLinks()) {
                links.put(link.ifindex(), link);
            }
        } catch (IOException e) {
            notifications.close();
            throw e;
        }
    }

    /** A monitor with its own NETLINK_ROUTE socket for the dumps, which it closes with itself. */
    public static NetdevMonitor open(Listener listener) throws IOException {
        NlSocket sock = NlSocket.open(Netlink.NETLINK_ROUTE);
        try {
            return new NetdevMonitor(sock, sock, listener);
        } catch (IOException e) {
            sock.close();
            throw e;
        }
    }

    /** The cached state of every link, by ifindex. Read-only view, valid until the next run(). */
    public Map<Integer, RtLink> links() {
        return Collections.unmodifiableMap(links);
    }

    /** The cached state of the link called 'name'. */
    public Optional<RtLink> link(String name) {
        return links.values().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The notification socket, for tests that shrink its buffer to provoke an overflow. */
    NlSocket notificationSocket() {
        return notifications;
    }

    /** Handles every pending notification (up to a batch) and delivers the resulting events. */
    public void run() {
        if (resyncNeeded) {
            resync();
        }
        for (int i = 0; i < MAX_BATCH && !resyncNeeded; i++) {
            List<NlMsg> msgs;
            try {
                msgs = notifications.receive();
            } catch (NlOverflowException e) {
                LOG.info("network device notifications overflowed; rereading all devices");
                resync();
                continue;
            } catch (NlException e) {
                // A truncated or malformed datagram: whatever it held is lost, as in an overflow.
                LOG.warn("bad network device notification ({}); rereading all devices", e.getMessage());
                resync();
                continue;
            } catch (IOException e) {
                LOG.warn("error reading network device notifications: {}", e.getMessage());
                return;
            }
            if (msgs.isEmpty()) {
                return;
            }
            for (NlMsg m : msgs) {
                handle(m);
            }
        }
    }

    /**
     * Wakes 'loop' when a notification arrives, or, after a failed resync, when it is time to retry
     * (queued notifications are useless until then, so they must not keep the loop awake).
     */
    public void waitFor(PollLoop loop) {
        if (resyncNeeded) {
            loop.timerWait(RESYNC_RETRY_MS);
        } else {
            notifications.waitFor(loop);
        }
    }

    private void handle(NlMsg m) {
        try {
            if ((m.type() != Rtnetlink.RTM_NEWLINK && m.type() != Rtnetlink.RTM_DELLINK)
                    || m.u8(0) != AF_UNSPEC) {
                // AF_BRIDGE messages describe bridge-port state, not the device itself.
                return;
            }
            if (m.type() == Rtnetlink.RTM_DELLINK) {
                remove(m.u32(4));
            } else if (!RtLink.isIrrelevant(m)) {
                update(RtLink.parse(m));
            }
        } catch (NlParseException e) {
            LOG.warn("ignoring malformed link notification: {}", e.getMessage());
        }
    }

    /**
     * Rereads every link and reports what differs from the cache. The notifications still queued
     * predate the overflow, so they are discarded first: applied after the dump they would roll
     * links back to older states whose later updates were the ones the kernel dropped.
     */
    private void resync() {
        RESYNCS.inc();
        discardQueued();
        List<RtLink> fresh;
        try {
            fresh = rtnl.dumpLinks();
        } catch (IOException e) {
            LOG.warn("could not reread network devices: {}", e.getMessage());
            resyncNeeded = true;
            return;
        }
        resyncNeeded = false;
        Set<Integer> seen = new HashSet<>();
        for (RtLink link : fresh) {
            seen.add(link.ifindex());
            update(link);
        }
        for (Integer gone : Set.copyOf(links.keySet())) {
            if (!seen.contains(gone)) {
                remove(gone);
            }
        }
    }

    private void discardQueued() {
        for (int i = 0; i < MAX_DISCARD; i++) {
            try {
                if (notifications.receive().isEmpty()) {
                    return;
                }
            } catch (NlOverflowException e) {
                // More were dropped meanwhile: keep discarding, the dump covers them all.
            } catch (IOException e) {
                LOG.warn("error discarding network device notifications: {}", e.getMessage());
                return;
            }
        }
    }

    private void update(RtLink now) {
        RtLink before = links.put(now.ifindex(), now);
        if (before == null) {
            emit(Change.ADDED, now, null);
            return;
        }
        if (!before.name().equals(now.name())) {
            emit(Change.RENAMED, now, before);
        }
        if (before.isUp() != now.isUp()) {
            emit(now.isUp() ? Change.UP : Change.DOWN, now, before);
        }
        if (before.isRunning() != now.isRunning()) {
            emit(now.isRunning() ? Change.CARRIER_UP : Change.CARRIER_DOWN, now, before);
        }
        if (before.mtu() != now.mtu() || !Objects.equals(before.address(), now.address())
                || before.master() != now.master() || !Objects.equals(before.kind(), now.kind())) {
            emit(Change.CHANGED, now, before);
        }
    }

    private void remove(int ifindex) {
        RtLink before = links.remove(ifindex);
        if (before != null) {
            emit(Change.REMOVED, before, before);
        }
    }

    private void emit(Change change, RtLink link, RtLink previous) {
        LOG.debug("{}: {}", link.name(), change);
        listener.linkChanged(new LinkEvent(change, link, previous));
    }

    /** Closes the notification socket (and the dump socket, if the monitor opened it). */
    @Override
    public void close() throws IOException {
        notifications.close();
        if (ownedExecutor != null) {
            ownedExecutor.close();
        }
    }
}
