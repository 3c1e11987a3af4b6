package org.jovs.vswitchd.netdev;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import org.jovs.core.Dirs;
import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire of a netdev-dummy device, as OVS's dummy_packet_conn: with {@code options:pstream=
 * punix:PATH} the device listens and takes any number of peers, with {@code options:stream=
 * unix:PATH} it connects to such a listener and reconnects after a failure (back-off from 100 ms,
 * doubling). Frames travel as a 2-byte big-endian length and the frame; each peer's send queue
 * holds at most {@link DummyNetdev#MAX_QUEUE} frames (more are dropped). This is how two daemons'
 * dummy devices are joined in OVS's tests. A relative PATH is taken from the run directory.
 *
 * <p>Owned by a {@link DummyNetdev}; main thread only; never blocks. Owns its sockets.
 */
final class DummyPacketConn {
    private static final Logger LOG = LoggerFactory.getLogger("netdev_dummy");
    private static final int ETH_HEADER_LEN = 14;
    private static final long MIN_BACKOFF_MS = 100;

    /** One connected peer: a socket, the frame being received, and the frames to send. */
    private static final class Peer {
        final int fd;
        final String name;
        final ByteBuffer rx = ByteBuffer.allocateDirect(2 + 65535);
        final ArrayDeque<ByteBuffer> tx = new ArrayDeque<>();

        Peer(int fd, String name) {
            this.fd = fd;
            this.name = name;
        }

        /** Sends and receives what it can; received frames go to 'deliver'. Returns an error text, or null. */
        String run(Consumer<byte[]> deliver) {
            try {
                while (!tx.isEmpty()) {
                    ByteBuffer b = tx.peek();
                    UnixSocket.send(fd, b);
                    if (b.hasRemaining()) {
                        break;
                    }
                    tx.poll();
                }
                while (true) {
                    int want = rx.position() < 2 ? 2 - rx.position() : 2 + (rx.getShort(0) & 0xffff) - rx.position();
                    if (rx.position() >= 2 && (rx.getShort(0) & 0xffff) < ETH_HEADER_LEN) {
                        return "Protocol error";
                    }
                    rx.limit(rx.position() + want);
                    int n = UnixSocket.read(fd, rx);
                    if (n < 0) {
                        return null;
                    }
                    if (n == 0) {
                        return rx.position() > 0 ? "Protocol error" : "End of file";
                    }
                    if (rx.position() > 2 && rx.position() == 2 + (rx.getShort(0) & 0xffff)) {
                        byte[] frame = new byte[rx.position() - 2];
                        rx.get(2, frame);
                        rx.clear();
                        deliver.accept(frame);
                    }
                }
            } catch (NativeException e) {
                return Native.strerror(e.errno());
            }
        }

        void send(byte[] frame, int len) {
            if (tx.size() < DummyNetdev.MAX_QUEUE) {
                ByteBuffer b = ByteBuffer.allocateDirect(2 + len);
                b.putShort((short) len).put(frame, 0, len).flip();
                tx.add(b);
            }
        }

        void waitFor(PollLoop loop) {
            loop.fdWait(fd, tx.isEmpty() ? PollLoop.POLLIN : PollLoop.POLLIN | PollLoop.POLLOUT);
        }
    }

    private final String target;
    private final boolean passive;
    private final String path;
    private int listenFd = -1;
    private final List<Peer> peers = new ArrayList<>();
    /** Active side: when to try connecting next, and the back-off after the next failure. */
    private long nextConnect;
    private long backoff = MIN_BACKOFF_MS;

    private DummyPacketConn(String target, boolean passive, String path) {
        this.target = target;
        this.passive = passive;
        this.path = path;
    }

    /**
     * The connection for options pstream ('passive') or stream, or null (logged) if it cannot
     * be made: an unsupported method, or a socket that cannot listen.
     */
    static DummyPacketConn open(String target, boolean passive) {
        String prefix = passive ? "punix:" : "unix:";
        if (!target.startsWith(prefix)) {
            LOG.warn("{}: open failed ({})", target, Native.strerror(97));
            return null;
        }
        DummyPacketConn c = new DummyPacketConn(target, passive,
                Dirs.absFileName(Dirs.rundir(), target.substring(prefix.length())));
        if (passive) {
            try {
                c.listenFd = UnixSocket.listen(c.path);
            } catch (NativeException e) {
                LOG.warn("{}: open failed ({})", target, Native.strerror(e.errno()));
                return null;
            }
        } else {
            c.connect();
        }
        return c;
    }

    String target() {
        return target;
    }

    boolean passive() {
        return passive;
    }

    /** Active side: connected to its peer (netdev-dummy/conn-state). */
    boolean connected() {
        return !peers.isEmpty();
    }

    private void connect() {
        try {
            peers.add(new Peer(UnixSocket.connect(path), target));
            backoff = MIN_BACKOFF_MS;
        } catch (NativeException e) {
            LOG.debug("{}: connection attempt failed ({})", target, Native.strerror(e.errno()));
            nextConnect = TimeVal.msec() + backoff;
            backoff = Math.min(backoff * 2, Integer.MAX_VALUE);
        }
    }

    /** Sends 'frame[0..len)' to every peer. */
    void send(byte[] frame, int len) {
        for (Peer p : peers) {
            p.send(frame, len);
        }
    }

    /** Accepts, connects, sends and receives what it can; received frames go to 'deliver'. */
    void run(Consumer<byte[]> deliver) {
        if (passive) {
            try {
                for (int fd; (fd = UnixSocket.accept(listenFd)) >= 0; ) {
                    peers.add(new Peer(fd, target));
                }
            } catch (NativeException e) {
                LOG.warn("{}: accept failed ({})", target, Native.strerror(e.errno()));
            }
        } else if (peers.isEmpty() && TimeVal.msec() >= nextConnect) {
            connect();
        }
        for (Iterator<Peer> it = peers.iterator(); it.hasNext();) {
            Peer p = it.next();
            String error = p.run(deliver);
            if (error != null) {
                LOG.debug("{}: closing connection ({})", p.name, error);
                Native.closeQuietly(p.fd);
                it.remove();
                if (!passive) {
                    nextConnect = TimeVal.msec() + backoff;
                }
            }
        }
    }

    void waitFor(PollLoop loop) {
        if (listenFd >= 0) {
            loop.fdWait(listenFd, PollLoop.POLLIN);
        }
        for (Peer p : peers) {
            p.waitFor(loop);
        }
        if (!passive && peers.isEmpty()) {
            loop.timerWaitUntil(nextConnect);
        }
    }

    void close() {
        for (Peer p : peers) {
            Native.closeQuietly(p.fd);
        }
        peers.clear();
        if (listenFd >= 0) {
            Native.closeQuietly(listenFd);
            listenFd = -1;
            UnixSocket.unlinkQuietly(path);
        }
    }
}
