package org.jovs.vswitchd.ofproto;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.TcpSocket;
import org.jovs.core.natives.UnixSocket;
import org.jovs.vswitchd.ovsdb.Reconnect;

/**
 * One active controller connection (tcp:IP[:PORT], unix:PATH), as OVS's rconn: connects, and
 * after a failure or a drop reconnects with back-off up to max_backoff; sends an echo request
 * after inactivity_probe ms of silence and drops the connection if that gets no answer either.
 * Reports what the Controller table shows (is_connected, role, status).
 *
 * <p>Owned by {@link Ofproto}; main thread only; never blocks (connects are non-blocking, a
 * refused or failed connection shows up as an error on the first read or write).
 */
final class ControllerLink {
    static final int DEFAULT_PORT = 6653;
    private static final long DEFAULT_PROBE_MS = 5000;
    private static final long DEFAULT_MAX_BACKOFF_MS = 8000;

    final String key;
    final String target;
    private final Ofproto ofproto;
    private final Reconnect fsm;
    private OfSession session;
    private long lastReceived;
    private String lastError;
    private final long probeInterval;
    /** When a message of substance last came from the controller (or when this link was made). */
    private long lastAdmitted;

    ControllerLink(Ofproto ofproto, String key, String target, Long inactivityProbe, Long maxBackoff, long now) {
        this.ofproto = ofproto;
        this.key = key;
        this.target = target;
        this.fsm = new Reconnect(ofproto.name + "<->" + target, now);
        fsm.setBackoff(1000, maxBackoff != null ? Math.max(1000, maxBackoff) : DEFAULT_MAX_BACKOFF_MS);
        this.probeInterval = inactivityProbe != null ? inactivityProbe : DEFAULT_PROBE_MS;
        fsm.setProbeInterval(probeInterval);
        fsm.enable(now);
        this.lastAdmitted = now;
    }

    OfSession session() {
        return session != null && session.isNegotiated() ? session : null;
    }

    boolean isConnected() {
        return session() != null;
    }

    long probeInterval() {
        return probeInterval;
    }

    /**
     * 0 while the controller is connected and has sent something of substance on this
     * connection (OVS's "admitted"), else how long ago it last did, as rconn_failure_duration().
     */
    long failureDuration(long now) {
        return isConnected() && session.admitted ? 0 : now - lastAdmitted;
    }

    void run(long now) {
        switch (fsm.run(now)) {
        case CONNECT -> connect(now);
        case DISCONNECT -> {
            drop();
            fsm.disconnected(now, 0);
        }
        case PROBE -> {
            if (session != null && session.isNegotiated()) {
                session.send(OfWire.finish(OfWire.start(session.version, OfWire.OFPT_ECHO_REQUEST, 0)));
            }
        }
        default -> {
        }
        }
        if (session == null) {
            return;
        }
        boolean wasNegotiated = session.isNegotiated();
        long before = session.received;
        boolean alive = session.run();
        fsm.receiveAttempted(now);
        if (session.received != before) {
            fsm.activity(now);
            lastReceived = now;
        }
        if (session.admitted) {
            lastAdmitted = now;
        }
        if (!wasNegotiated && session.isNegotiated()) {
            fsm.connected(now);
            ofproto.statusChanged();
        }
        if (!alive) {
            String why = session.conn.failure();
            lastError = why;
            boolean wasUp = fsm.isConnected();
            drop();
            if (wasUp) {
                fsm.disconnected(now, Reconnect.EOF);
            } else {
                fsm.connectFailed(now, Native.ECONNREFUSED);
            }
            ofproto.statusChanged();
        }
    }

    private void connect(long now) {
        int fd;
        try {
            fd = open();
        } catch (NativeException e) {
            lastError = Native.strerror(e.errno());
            fsm.connectFailed(now, e.errno());
            ofproto.statusChanged();
            return;
        } catch (UnknownHostException e) {
            lastError = e.getMessage();
            fsm.connectFailed(now, Native.EINVAL);
            return;
        }
        fsm.connecting(now);
        session = new OfSession(new OfConnection(fd, target), ofproto, true, ofproto.allowedVersions());
    }

    private int open() throws NativeException, UnknownHostException {
        if (target.startsWith("unix:")) {
            return UnixSocket.connect(target.substring(5));
        }
        String rest = target.substring(4);
        String host = rest;
        int port = DEFAULT_PORT;
        int colon = rest.lastIndexOf(':');
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            host = rest.substring(1, close);
            port = close + 1 < rest.length() ? Integer.parseInt(rest.substring(close + 2)) : DEFAULT_PORT;
        } else if (colon >= 0) {
            host = rest.substring(0, colon);
            port = Integer.parseInt(rest.substring(colon + 1));
        }
        return TcpSocket.connect(InetAddress.getByName(host), port);
    }

    private void drop() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Drops the connection, if any, and connects again, as rconn_reconnect() for bridge/reconnect. */
    void reconnect(long now) {
        fsm.forceReconnect(now);
    }

    void waitFor(PollLoop loop, long now) {
        fsm.waitFor(loop, now);
        if (session != null) {
            session.waitFor(loop);
        }
    }

    void close() {
        drop();
    }

    /** The Controller status column, as OVS fills it. */
    Map<String, String> status(long now) {
        Map<String, String> out = new LinkedHashMap<>();
        if (lastError != null) {
            out.put("last_error", lastError);
        }
        out.put("state", fsm.stateName());
        if (fsm.lastConnected() != Long.MAX_VALUE) {
            out.put("sec_since_connect", Long.toString(Math.max(0, now - fsm.lastConnected()) / 1000));
        }
        if (fsm.lastDisconnected() != Long.MAX_VALUE) {
            out.put("sec_since_disconnect", Long.toString(Math.max(0, now - fsm.lastDisconnected()) / 1000));
        }
        return out;
    }
}
