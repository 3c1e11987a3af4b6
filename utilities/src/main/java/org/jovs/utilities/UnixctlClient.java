package org.jovs.utilities;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jovs.core.Dirs;
import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.core.json.JsonStreamParser;
import org.jovs.core.unixctl.JsonRpcMessage;

/**
 * The client side of OVS's unixctl protocol, as OVS's unixctl_client_create() and
 * unixctl_client_transact() do it, with the same log messages: connect to a daemon's control
 * socket, send one JSON-RPC request {"id":N,"method":COMMAND,"params":[ARGS...]} and wait for the
 * reply with that id, discarding anything else the server sends. The reply's result or error
 * must be a string.
 *
 * <p>Blocking: the caller's -T alarm bounds the wait. Uses the JDK's own AF_UNIX channels, which
 * need no native library to load. Owns its socket; {@link #close()} closes it.
 */
final class UnixctlClient implements AutoCloseable {
    /** The one thing a server can answer: a result, or an error (never both). */
    record Reply(String result, String error) {
    }

    private final SocketChannel channel;
    /** "unix:PATH", the name OVS gives the stream in messages. */
    private final String name;
    private final Vlog vlog;
    private long nextId;

    private UnixctlClient(SocketChannel channel, String name, Vlog vlog) {
        this.channel = channel;
        this.name = name;
        this.vlog = vlog;
    }

    /** Connects to the control socket 'path' (relative to the run directory unless absolute). */
    static UnixctlClient connect(String path, Vlog vlog) throws ErrnoException {
        String absPath = Dirs.absFileName(Dirs.rundir(), path);
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(absPath));
            return new UnixctlClient(channel, "unix:" + absPath, vlog);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            String text = connectErrorText(e);
            vlog.dbg("stream_unix", absPath + ": connection failed (" + text + ")");
            vlog.warn("unixctl", "failed to connect to " + path);
            throw new ErrnoException(text);
        }
    }

    /** Runs 'command' with 'args' on the server; on failure, logs why as OVS does. */
    Reply transact(String command, List<String> args) throws ErrnoException {
        Map<String, Object> request = new LinkedHashMap<>();
        long id = nextId++;
        request.put("id", id);
        request.put("method", command);
        request.put("params", args);
        JsonRpcMessage reply;
        try {
            send(request);
            reply = receiveReply(id);
        } catch (ErrnoException e) {
            vlog.warn("unixctl", "error communicating with " + name + ": " + e.getMessage());
            throw e;
        }
        if (reply.error != null) {
            if (reply.error instanceof String) {
                return new Reply(null, (String) reply.error);
            }
            vlog.warn("unixctl", name + ": unexpected error type in JSON RPC reply: " + typeName(reply.error));
        } else {
            if (reply.result instanceof String) {
                return new Reply((String) reply.result, null);
            }
            vlog.warn("unixctl", name + ": unexpected result type in JSON rpc reply: " + typeName(reply.result));
        }
        throw new ErrnoException(ErrnoException.EINVAL);
    }

    private void send(Map<String, Object> request) throws ErrnoException {
        try {
            vlog.dbg("jsonrpc", name + ": send request" + JsonRpcMessage.fromJson(request).describe());
        } catch (JsonRpcMessage.InvalidException e) {
            throw new IllegalStateException("our own request is invalid: " + e.getMessage(), e);
        }
        ByteBuffer out = ByteBuffer.wrap(Json.toString(request).getBytes(StandardCharsets.UTF_8));
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            vlog.warn("jsonrpc", name + ": send error: " + ioErrorText(e));
            throw new ErrnoException(ioErrorText(e));
        }
    }

    /**
     * Reads messages until the reply or error whose id is 'id'. Like OVS, reads 4 kB at a time
     * and stops parsing at the end of the message it wanted.
     */
    private JsonRpcMessage receiveReply(long id) throws ErrnoException {
        JsonStreamParser parser = new JsonStreamParser(Integer.MAX_VALUE - 8);
        ByteBuffer in = ByteBuffer.allocate(4096);
        in.flip();
        for (;;) {
            if (!in.hasRemaining()) {
                in.clear();
                int n;
                try {
                    n = channel.read(in);
                } catch (IOException e) {
                    vlog.warn("jsonrpc", name + ": receive error: " + ioErrorText(e));
                    throw new ErrnoException(ioErrorText(e));
                }
                in.flip();
                if (n < 0) {
                    throw new ErrnoException(ErrnoException.EOF);
                }
            }
            int used = parser.feed(in.array(), in.position(), in.remaining());
            in.position(in.position() + used);
            if (parser.isDone() || parser.error() != null) {
                JsonRpcMessage msg = parse(parser);
                vlog.dbg("jsonrpc", name + ": received " + msg.type + msg.describe());
                if ((msg.type == JsonRpcMessage.Type.REPLY || msg.type == JsonRpcMessage.Type.ERROR)
                        && Long.valueOf(id).equals(msg.id)) {
                    return msg;
                }
            }
        }
    }

    private JsonRpcMessage parse(JsonStreamParser parser) throws ErrnoException {
        Object json;
        try {
            json = parser.finish();
        } catch (JsonException e) {
            vlog.warn("jsonrpc", name + ": error parsing stream: " + e.getMessage());
            throw new ErrnoException(ErrnoException.EPROTO);
        }
        try {
            return JsonRpcMessage.fromJson(json);
        } catch (JsonRpcMessage.InvalidException e) {
            vlog.warn("jsonrpc", name + ": received bad JSON-RPC message: " + e.getMessage());
            throw new ErrnoException(ErrnoException.EPROTO);
        }
    }

    /** The name OVS's json_type_to_string() gives the type of parsed JSON value 'v'. */
    static String typeName(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof Boolean) {
            return v.toString();
        } else if (v instanceof Map) {
            return "object";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof Number) {
            return "number";
        }
        return "string";
    }

    /** strerror() text for a failed connect; a path too long has the JDK's own words. */
    private static String connectErrorText(Exception e) {
        String m = e.getMessage();
        if (m != null && m.startsWith("Unix domain path too long")) {
            return ErrnoException.ENAMETOOLONG;
        }
        return e instanceof IOException ? ioErrorText((IOException) e) : String.valueOf(m);
    }

    /** strerror() text for a socket error; the JDK words only ECONNRESET its own way. */
    private static String ioErrorText(IOException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.toString();
        }
        return m.equals("Connection reset") ? "Connection reset by peer" : m;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing was sent on it.
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
