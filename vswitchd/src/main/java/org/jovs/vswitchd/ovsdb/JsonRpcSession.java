package org.jovs.vswitchd.ovsdb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.core.json.JsonStreamParser;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.TcpSocket;
import org.jovs.core.natives.UnixSocket;
import org.jovs.core.unixctl.JsonRpcMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-RPC client session that stays connected, as OVS's jsonrpc_session: one active
 * {@code unix:PATH} or {@code tcp:IP[:PORT]} stream, reopened through {@link Reconnect} with
 * back-off whenever it fails or the peer closes it. Echo requests from the peer are answered here;
 * on tcp: streams an idle connection is probed with an echo of our own every 5 s.
 *
 * <p>Main-loop contract: {@link #run()} connects, flushes queued output and reads what has arrived
 * without blocking; {@link #recv()} then hands out the received messages one by one;
 * {@link #waitFor(PollLoop)} registers the socket and the reconnect timer. The session owns its
 * socket fd. Messages sent while disconnected are dropped: the owner notices a new connection
 * through {@link #seqno()} and starts over, as OVS's IDL does.
 */
public final class JsonRpcSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("jsonrpc");
    private static final long MAX_MESSAGE_BYTES = 256L << 20;
    private static final int MAX_RECEIVED_PER_RUN = 50;
    private static final int OVSDB_PORT = 6640;
    private static final long TCP_PROBE_INTERVAL_MS = 5000;
    private static final Pattern TCP = Pattern.compile("tcp:(\\[[0-9a-fA-F:.]+\\]|[0-9.]+)(?::(\\d+))?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String name;
    private final Reconnect reconnect;
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private final ArrayDeque<JsonRpcMessage> input = new ArrayDeque<>();
    private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] chunk = new byte[64 * 1024];
    private final ByteBuffer pollFd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private JsonStreamParser parser;
    private int fd = -1;
    private boolean streamConnecting;

    /** Opens a session to 'name' ("unix:PATH" or "tcp:IP[:PORT]"), which must pass {@link #verifyName}. */
    public JsonRpcSession(String name) {
        String error = verifyName(name);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        this.name = name;
        long now = TimeVal.msec();
        reconnect = new Reconnect(name, now);
        if (name.startsWith("tcp:")) {
            reconnect.setProbeInterval(TCP_PROBE_INTERVAL_MS);
        }
        reconnect.enable(now);
    }

    /** Null if 'name' is an active stream name we support, otherwise why not (OVS's wording). */
    public static String verifyName(String name) {
        if (name.startsWith("unix:")) {
            return name.length() > 5 ? null : name + ": missing file name";
        }
        if (name.startsWith("tcp:")) {
            return TCP.matcher(name).matches() ? null : name + ": bad peer name format (expected tcp:IP[:PORT])";
        }
        int colon = name.indexOf(':');
        return colon < 0 ? name + ": unknown stream type" : name + ": unknown stream type \"" + name.substring(0, colon) + "\"";
    }

    public String name() {
        return name;
    }

    /** True while a connection is established. */
    public boolean isConnected() {
        return reconnect.isConnected();
    }

    /** Changes every time the session connects or disconnects. */
    public int seqno() {
        return reconnect.connectionSeqno();
    }

    /** Drops the connection, if any, and reconnects at once. */
    public void forceReconnect() {
        reconnect.forceReconnect(TimeVal.msec());
    }

    /** Queues 'msg' for sending; dropped (false) if not connected. */
    public boolean send(Map<String, Object> msg) {
        if (!isConnected()) {
            return false;
        }
        byte[] bytes = Json.toString(msg).getBytes(StandardCharsets.UTF_8);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: send {}", name, Json.toString(msg));
        }
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        output.add(b);
        flush();
        return true;
    }

    /** The next received request, notification or reply, or null. */
    public JsonRpcMessage recv() {
        return input.poll();
    }

    public void run() {
        long now = TimeVal.msec();
        if (fd >= 0 && streamConnecting) {
            finishConnect(now);
        }
        if (fd >= 0 && !streamConnecting) {
            flush();
            if (fd >= 0) {
                receive(now);
            }
        }
        switch (reconnect.run(now)) {
        case CONNECT:
            connect(now);
            break;
        case DISCONNECT:
            closeStream();
            reconnect.disconnected(now, 0);
            break;
        case PROBE:
            send(request("echo", List.of(), "echo"));
            break;
        default:
            break;
        }
    }

    public void waitFor(PollLoop loop) {
        if (fd >= 0) {
            int events = streamConnecting || !output.isEmpty() ? PollLoop.POLLOUT : 0;
            if (!streamConnecting) {
                events |= PollLoop.POLLIN;
            }
            loop.fdWait(fd, events, "jsonrpc " + name);
        }
        if (!input.isEmpty()) {
            loop.immediateWake();
        }
        reconnect.waitFor(loop, TimeVal.msec());
    }

    @Override
    public void close() {
        closeStream();
        reconnect.disable(TimeVal.msec());
    }

    /** A request message. */
    public static Map<String, Object> request(String method, Object params, Object id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("params", params);
        m.put("id", id);
        return m;
    }

    /** A reply message carrying 'result'. */
    public static Map<String, Object> reply(Object result, Object id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result);
        m.put("error", null);
        m.put("id", id);
        return m;
    }

    private void connect(long now) {
        try {
            if (name.startsWith("unix:")) {
                fd = UnixSocket.connect(name.substring(5));
            } else {
                Matcher m = TCP.matcher(name);
                m.matches();
                fd = TcpSocket.connect(literalAddress(m.group(1)), m.group(2) == null ? OVSDB_PORT : Integer.parseInt(m.group(2)));
            }
        } catch (NativeException e) {
            reconnect.connectFailed(now, e.errno());
            return;
        } catch (UnknownHostException e) {
            reconnect.connectFailed(now, Native.EINVAL);
            return;
        }
        streamConnecting = true;
        parser = new JsonStreamParser(MAX_MESSAGE_BYTES);
        reconnect.connecting(now);
        finishConnect(now);
    }

    private static InetAddress literalAddress(String host) throws UnknownHostException {
        // Only literals reach here (see TCP), so getByName never does a blocking lookup.
        if (host.startsWith("[")) {
            return InetAddress.getByName(host.substring(1, host.length() - 1));
        }
        if (!IPV4.matcher(host).matches()) {
            throw new UnknownHostException(host);
        }
        return InetAddress.getByName(host);
    }

    /** Completes a pending connect if the socket has become writable. */
    private void finishConnect(long now) {
        pollFd.putInt(0, fd).putShort(4, (short) PollLoop.POLLOUT).putShort(6, (short) 0);
        int rc = Native.libc().poll(pollFd, 1, 0);
        if (rc <= 0) {
            return;
        }
        int error;
        try {
            error = Native.socketError(fd);
        } catch (NativeException e) {
            error = e.errno();
        }
        if (error != 0) {
            closeStream();
            reconnect.connectFailed(now, error);
            return;
        }
        streamConnecting = false;
        reconnect.connected(now);
    }

    private void flush() {
        try {
            while (!output.isEmpty()) {
                ByteBuffer b = output.peek();
                UnixSocket.send(fd, b);
                if (b.hasRemaining()) {
                    return;
                }
                output.poll();
            }
        } catch (NativeException e) {
            LOG.warn("{}: send error: {}", name, Native.strerror(e.errno()));
            dropConnection(e.errno());
        }
    }

    private void receive(long now) {
        reconnect.receiveAttempted(now);
        for (int n = 0; n < MAX_RECEIVED_PER_RUN && fd >= 0; n++) {
            readBuf.clear();
            int got;
            try {
                got = UnixSocket.read(fd, readBuf);
            } catch (NativeException e) {
                LOG.warn("{}: receive error: {}", name, Native.strerror(e.errno()));
                dropConnection(e.errno());
                return;
            }
            if (got < 0) {
                return;
            }
            if (got == 0) {
                if (parser.hasPartialValue()) {
                    LOG.warn("{}: unexpected end of file", name);
                }
                dropConnection(Reconnect.EOF);
                return;
            }
            reconnect.activity(now);
            readBuf.flip();
            readBuf.get(chunk, 0, got);
            if (!parse(got)) {
                return;
            }
        }
    }

    /** Feeds 'len' bytes of 'chunk' to the parser; false if the connection had to be dropped. */
    private boolean parse(int len) {
        int off = 0;
        while (off < len) {
            off += parser.feed(chunk, off, len - off);
            if (parser.error() != null) {
                LOG.warn("{}: error parsing stream: {}", name, parser.error());
                dropConnection(Native.EPROTO);
                return false;
            }
            if (parser.isDone()) {
                Object json;
                JsonRpcMessage msg;
                try {
                    json = parser.finish();
                    msg = JsonRpcMessage.fromJson(json);
                } catch (JsonException | JsonRpcMessage.InvalidException e) {
                    LOG.warn("{}: received bad JSON-RPC message: {}", name, e.getMessage());
                    dropConnection(Native.EPROTO);
                    return false;
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: received {}", name, Json.toString(json));
                }
                dispatch(msg);
            }
        }
        return true;
    }

    private void dispatch(JsonRpcMessage msg) {
        if (msg.type == JsonRpcMessage.Type.REQUEST && "echo".equals(msg.method)) {
            send(reply(msg.params, msg.id));
        } else if (msg.type == JsonRpcMessage.Type.REPLY && "echo".equals(msg.id)) {
            // The answer to our inactivity probe: receiving it was the point.
        } else {
            input.add(msg);
        }
    }

    private void dropConnection(int error) {
        closeStream();
        reconnect.disconnected(TimeVal.msec(), error);
    }

    private void closeStream() {
        if (fd >= 0) {
            Native.closeQuietly(fd);
            fd = -1;
        }
        streamConnecting = false;
        output.clear();
        // Whatever the old connection left unread belongs to a session the owner will restart.
        input.clear();
    }
}
