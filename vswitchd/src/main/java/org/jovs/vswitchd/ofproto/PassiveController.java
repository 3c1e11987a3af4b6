package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jovs.core.Dirs;
import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One passive controller target, "punix:PATH", as OVS's ofservice on a pvconn: a listening
 * socket (a relative PATH is taken from the run directory, as OVS's punix does) whose accepted
 * connections are controller connections (primary, with packet-ins), not service ones.
 *
 * <p>Owned by {@link Ofproto}; main thread only; never blocks. Owns the listening fd, the socket
 * file and every accepted connection.
 */
final class PassiveController {
    private static final Logger CONNMGR = LoggerFactory.getLogger("connmgr");
    private static final int MAX_ACCEPTS_PER_RUN = 10;

    final String key;
    final String target;
    private final Ofproto ofproto;
    private final String path;
    private int listenFd;
    private final List<OfSession> sessions = new ArrayList<>();

    private PassiveController(Ofproto ofproto, String key, String target, String path, int listenFd) {
        this.ofproto = ofproto;
        this.key = key;
        this.target = target;
        this.path = path;
        this.listenFd = listenFd;
    }

    /** Listens on 'target' ("punix:PATH"); null (logged) if the socket cannot be made. */
    static PassiveController open(Ofproto ofproto, String bridge, String key, String target) {
        String path = Dirs.absFileName(Dirs.rundir(), target.substring("punix:".length()));
        try {
            return new PassiveController(ofproto, key, target, path, UnixSocket.listen(path));
        } catch (NativeException e) {
            CONNMGR.error("{}: {}: listen failed: {}", bridge, target, Native.strerror(e.errno()));
            return null;
        }
    }

    /** The negotiated connections. */
    void collectSessions(List<OfSession> out) {
        for (OfSession s : sessions) {
            if (s.isNegotiated()) {
                out.add(s);
            }
        }
    }

    boolean isConnected() {
        return sessions.stream().anyMatch(OfSession::isNegotiated);
    }

    void run(String bridge, int allowedVersions) {
        for (int i = 0; listenFd >= 0 && i < MAX_ACCEPTS_PER_RUN; i++) {
            int fd;
            try {
                fd = UnixSocket.accept(listenFd);
            } catch (NativeException e) {
                CONNMGR.warn("{}: accept failed: {}", target, Native.strerror(e.errno()));
                break;
            }
            if (fd < 0) {
                break;
            }
            sessions.add(new OfSession(new OfConnection(fd, bridge + "<->unix#" + fd), ofproto, true, allowedVersions));
        }
        for (Iterator<OfSession> it = sessions.iterator(); it.hasNext();) {
            OfSession s = it.next();
            if (!s.run()) {
                s.close();
                it.remove();
            }
        }
    }

    void waitFor(PollLoop loop) {
        if (listenFd >= 0) {
            loop.fdWait(listenFd, PollLoop.POLLIN, path);
        }
        for (OfSession s : sessions) {
            s.waitFor(loop);
        }
    }

    /** Closes every connection and the listening socket, and removes the socket file. */
    void close() {
        sessions.forEach(OfSession::close);
        sessions.clear();
        if (listenFd >= 0) {
            Native.closeQuietly(listenFd);
            listenFd = -1;
            UnixSocket.unlinkQuietly(path);
        }
    }
}
