package org.jovs.core.unixctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jovs.core.Coverage;
import org.jovs.core.Dirs;
import org.jovs.core.PollLoop;
import org.jovs.core.TimeVal;
import org.jovs.core.RateLimit;
import org.jovs.core.json.Json;
import org.jovs.core.json.JsonException;
import org.jovs.core.json.JsonStreamParser;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.UnixSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The control socket server that {@code ovs-appctl} talks to, as OVS's lib/unixctl.c.
 *
 * <p>Clients connect to a Unix stream socket and send JSON-RPC 1.0 requests, unframed JSON objects
 * back to back: {"method":NAME,"params":[STRING...],"id":ID}. Each is answered with
 * {"result":BODY,"error":null,"id":ID} or, on failure, {"error":BODY,"id":ID} (OVS 3.1 sends no
 * "result" member in an error). Unknown commands and wrong argument counts or types get OVS's
 * error replies; anything that is not a valid request (bad JSON, a notification, a reply, a
 * message over {@value #MAX_MESSAGE_BYTES} bytes) is logged and its connection dropped, as OVS
 * does, without disturbing other connections.
 *
 * <p>Contract: the main loop calls {@link #run()} and then {@link #waitFor(PollLoop)} on every
 * iteration; neither blocks. Each run accepts at most 10 connections and handles at most 10
 * messages per connection. A connection has at most one request in progress and reads nothing
 * more until it is answered and the answer is written, which also bounds its output buffer to
 * one reply. Handlers are called from {@code run()}; see {@link UnixctlConnection} for replies.
 *
 * <p>The server owns the listening fd, every connection fd and the socket file, which it removes
 * on {@link #close()}. <b>Note:</b> not thread-safe: only the main-loop thread may touch a server,
 * its commands' handlers and their {@link UnixctlConnection}s.
 */
public final class UnixctlServer implements AutoCloseable {
    /** The largest request accepted; beyond it the connection is dropped (OVS has no limit). */
    public static final int MAX_MESSAGE_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger("unixctl");
    private static final Logger JSONRPC_LOG = LoggerFactory.getLogger("jsonrpc");
    private static final Logger STREAM_LOG = LoggerFactory.getLogger("stream_unix");
    /* One limit per module and process, as OVS's file-level limits in unixctl.c and jsonrpc.c. */
    private static final RateLimit RL = new RateLimit(5, 5);
    private static final RateLimit JSONRPC_RL = new RateLimit(5, 5);
    private static final Coverage.Counter RECEIVED = Coverage.counter("unixctl_received");
    private static final Coverage.Counter REPLIED = Coverage.counter("unixctl_replied");

    private static final int MAX_ACCEPTS_PER_RUN = 10;
    private static final int MAX_MESSAGES_PER_RUN = 10;
    /** Reads per receive attempt, as jsonrpc_recv(): with the chunk size, 200 kB per attempt. */
    private static final int MAX_READS_PER_RECEIVE = 50;
    private static final int READ_CHUNK = 4096;
    private static final int EOF = -1;

    /** Numbers unnamed client sockets for log messages ("unix#N"), as OVS's stream-unix does. */
    private static final AtomicInteger NEXT_CONN_ID = new AtomicInteger();

    private final String path;
    private final String listenerName;
    private final String version;
    private int listenFd;
    private boolean closed;
    /** What replies wait for, or null. */
    private ReplyGate gate;
    private final Map<String, Command> commands = new TreeMap<>();
    private final List<Connection> conns = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);

    private record Command(String usage, int minArgs, int maxArgs, UnixctlHandler handler) {
    }

    private UnixctlServer(String path, int listenFd, String version) {
        this.path = path;
        this.listenerName = "punix:" + path;
        this.listenFd = listenFd;
        this.version = version;
        register("list-commands", "", 0, 0, (conn, args) -> conn.reply(listCommands()));
        register("version", "", 0, 0, (conn, args) -> conn.reply(this.version));
    }

    /**
     * Creates a server listening on 'path', which may be null for
     * {@code <rundir>/<programName>.<pid>.ctl}, relative to put it in 'rundir' (null for
     * {@link Dirs#rundir()}), or absolute. As in OVS, "none" creates a server without a socket:
     * its commands exist, but nothing can reach them. A stale file at the path is removed first.
     * 'version' is what the "version" command replies, e.g. "ovs-vswitchd (Open vSwitch) 3.1.0".
     *
     * @throws IOException "PATH: could not initialize control socket (REASON)"
     */
    public static UnixctlServer create(String path, String rundir, String programName, String version)
            throws IOException {
        Objects.requireNonNull(version, "version");
        if ("none".equals(path)) {
            return new UnixctlServer(null, -1, version);
        }
        String dir = rundir != null ? rundir : Dirs.rundir();
        String absPath = path != null ? Dirs.absFileName(dir, path)
                : dir + "/" + programName + "." + ProcessHandle.current().pid() + ".ctl";
        try {
            return new UnixctlServer(absPath, UnixSocket.listen(absPath), version);
        } catch (NativeException e) {
            String reason = Native.strerror(e.errno());
            STREAM_LOG.error("{}: binding failed: {}", absPath, reason);
            throw new IOException(absPath + ": could not initialize control socket (" + reason + ")", e);
        }
    }

    /** The absolute path of the control socket, or null for a server created with "none". */
    public String path() {
        return path;
    }

    /**
     * Registers command 'name' taking 'minArgs' to 'maxArgs' arguments, implemented by 'handler'.
     * 'usage' describes the arguments in list-commands output; null hides the command there.
     * Registering a name twice is a programming error ({@link IllegalArgumentException}).
     */
    public void register(String name, String usage, int minArgs, int maxArgs, UnixctlHandler handler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        if (minArgs < 0 || maxArgs < minArgs) {
            throw new IllegalArgumentException("bad argument counts " + minArgs + ".." + maxArgs + " for " + name);
        }
        if (commands.putIfAbsent(name, new Command(usage, minArgs, maxArgs, handler)) != null) {
            throw new IllegalArgumentException("unixctl command \"" + name + "\" registered twice");
        }
    }

    /**
     * Makes replies wait until 'gate' says (null: replies go at once, held ones included) what was logged before them is written, for at most
     * {@link #MAX_REPLY_HOLD_MS} (a stalled worker must not stall the control socket).
     */
    public void setReplyGate(ReplyGate gate) {
        this.gate = gate;
    }

    /** Accepts new connections, reads and dispatches requests, and writes pending replies. */
    public void run() {
        if (closed) {
            return;
        }
        for (int i = 0; i < MAX_ACCEPTS_PER_RUN && listenFd >= 0; i++) {
            try {
                int fd = UnixSocket.accept(listenFd);
                if (fd < 0) {
                    break;
                }
                conns.add(new Connection(fd, "unix#" + NEXT_CONN_ID.getAndIncrement()));
            } catch (NativeException e) {
                if (RL.admit(LOG, Level.WARN)) {
                    LOG.warn("{}: accept failed: {}", listenerName, Native.strerror(e.errno()));
                }
                break;
            }
        }
        // A handler may close the server, but never adds connections: iterate over a copy.
        for (Connection conn : conns.toArray(new Connection[0])) {
            if (closed) {
                return;
            }
            conn.run();
        }
        conns.removeIf(conn -> conn.status != 0);
    }

    /** Registers what should wake the main loop for this server on 'loop'. */
    public void waitFor(PollLoop loop) {
        if (closed) {
            return;
        }
        if (listenFd >= 0) {
            loop.fdWait(listenFd, PollLoop.POLLIN, listenerName);
        }
        for (Connection conn : conns) {
            if (conn.status != 0) {
                loop.immediateWake();
            } else if (conn.output != null && conn.held()) {
                // The worker's acknowledgement wakes the loop; the hold's end and the gate's
                // next look bound the wait.
                long left = Math.max(0, conn.heldUntil - TimeVal.realMsec());
                loop.timerWait(Math.min(left, gate.recheckMsec()));
            } else if (conn.output != null) {
                loop.fdWait(conn.fd, PollLoop.POLLOUT, conn.name);
            } else if (conn.request == null) {
                if (conn.inputStart < conn.inputEnd) {
                    loop.immediateWake();
                } else {
                    loop.fdWait(conn.fd, PollLoop.POLLIN, conn.name);
                }
            }
        }
    }

    /**
     * Closes every connection and the listening socket and removes the socket file. Replies to
     * requests still in progress are dropped. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Connection conn : conns) {
            conn.fail(EOF);
        }
        conns.clear();
        if (listenFd >= 0) {
            Native.closeQuietly(listenFd);
            listenFd = -1;
            UnixSocket.unlinkQuietly(path);
        }
    }

    private String listCommands() {
        StringBuilder sb = new StringBuilder("The available commands are:\n");
        commands.forEach((name, command) -> {
            if (command.usage() != null) {
                sb.append(String.format("  %-23s %s\n", name, command.usage()));
            }
        });
        return sb.toString();
    }

    private void process(Connection conn, JsonRpcMessage msg) {
        RECEIVED.inc();
        Request request = new Request(conn, msg.id);
        conn.request = request;
        if (LOG.isDebugEnabled()) {
            LOG.debug("received request {}{}, id={}", msg.method, Json.toString(msg.params), Json.toString(msg.id));
        }

        String method = msg.method;
        Command command = commands.get(method);
        String error = null;
        List<String> args = new ArrayList<>(msg.params.size());
        if (command == null) {
            error = "\"" + method + "\" is not a valid command (use \"list-commands\" to see a list of valid commands)";
        } else if (msg.params.size() < command.minArgs()) {
            error = "\"" + method + "\" command requires at least " + command.minArgs() + " arguments";
        } else if (msg.params.size() > command.maxArgs()) {
            error = "\"" + method + "\" command takes at most " + command.maxArgs() + " arguments";
        } else {
            for (Object param : msg.params) {
                if (!(param instanceof String)) {
                    error = "\"" + method + "\" command has non-string argument";
                    break;
                }
                args.add((String) param);
            }
        }
        if (error != null) {
            request.replyError(error);
            return;
        }
        try {
            command.handler().handle(request, List.copyOf(args));
        } catch (RuntimeException e) {
            // A bug in one command must not take the daemon down with it.
            LOG.error("\"{}\" command failed", method, e);
            if (!request.replied) {
                request.replyError("\"" + method + "\" command failed: " + e);
            }
        }
    }

    /** How long a reply waits for the reply gate at most. */
    public static final long MAX_REPLY_HOLD_MS = 50;

    /** One client connection: its socket, partial input, unsent output and request in progress. */
    private final class Connection {
        final String name;
        int fd;
        /** 0 while usable; then a positive errno or EOF, and the fd is closed. */
        int status;
        final JsonStreamParser parser = new JsonStreamParser(MAX_MESSAGE_BYTES);
        /** Bytes read but not yet fed to the parser are input[inputStart, inputEnd). */
        final byte[] input = new byte[READ_CHUNK];
        int inputStart;
        int inputEnd;
        /** Reply bytes not yet written (a direct buffer), or null. */
        ByteBuffer output;
        /** While output waits for the reply gate: its mark, else -1; and until when at most (real ms). */
        long heldMark = -1;
        long heldUntil;
        Request request;

        Connection(int fd, String name) {
            this.fd = fd;
            this.name = name;
        }

        void run() {
            flush();
            for (int i = 0; i < MAX_MESSAGES_PER_RUN; i++) {
                if (status != 0 || output != null || request != null) {
                    break;
                }
                JsonRpcMessage msg = receive();
                if (msg == null) {
                    break;
                }
                if (msg.type == JsonRpcMessage.Type.REQUEST) {
                    process(this, msg);
                } else {
                    if (RL.admit(LOG, Level.WARN)) {
                        LOG.warn("{}: received unexpected {} message", name, msg.type);
                    }
                    fail(Native.EINVAL);
                }
            }
        }

        /** The next complete message, or null if there is none yet or the connection failed. */
        private JsonRpcMessage receive() {
            for (int i = 0; i < MAX_READS_PER_RECEIVE; i++) {
                if (inputStart == inputEnd) {
                    readBuffer.clear();
                    int n;
                    try {
                        n = UnixSocket.read(fd, readBuffer);
                    } catch (NativeException e) {
                        if (JSONRPC_RL.admit(JSONRPC_LOG, Level.WARN)) {
                            JSONRPC_LOG.warn("{}: receive error: {}", name, Native.strerror(e.errno()));
                        }
                        fail(e.errno());
                        return null;
                    }
                    if (n < 0) {
                        return null;
                    } else if (n == 0) {
                        fail(EOF);
                        return null;
                    }
                    readBuffer.flip();
                    readBuffer.get(input, 0, n);
                    inputStart = 0;
                    inputEnd = n;
                }
                inputStart += parser.feed(input, inputStart, inputEnd - inputStart);
                if (parser.error() != null) {
                    protocolError("error parsing stream", parser.error());
                    return null;
                }
                if (parser.isDone()) {
                    return parseMessage();
                }
            }
            return null;
        }

        private JsonRpcMessage parseMessage() {
            try {
                JsonRpcMessage msg = JsonRpcMessage.fromJson(parser.finish());
                if (JSONRPC_LOG.isDebugEnabled()) {
                    JSONRPC_LOG.debug("{}: received {}{}", name, msg.type, msg.describe());
                }
                return msg;
            } catch (JsonException e) {
                protocolError("error parsing stream", e.getMessage());
            } catch (JsonRpcMessage.InvalidException e) {
                protocolError("received bad JSON-RPC message", e.getMessage());
            }
            return null;
        }

        private void protocolError(String what, String detail) {
            if (JSONRPC_RL.admit(JSONRPC_LOG, Level.WARN)) {
                JSONRPC_LOG.warn("{}: {}: {}", name, what, detail);
            }
            fail(Native.EPROTO);
        }

        /** Queues 'text' and writes as much as the socket takes now; the rest waits for POLLOUT. */
        void send(String text) {
            if (status != 0) {
                return;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int pending = output == null ? 0 : output.remaining();
            ByteBuffer buf = ByteBuffer.allocateDirect(pending + bytes.length);
            if (output != null) {
                buf.put(output);
            }
            buf.put(bytes).flip();
            output = buf;
            if (gate != null) {
                heldMark = gate.mark();
                heldUntil = TimeVal.realMsec() + MAX_REPLY_HOLD_MS;
            }
            flush();
        }

        /** True while the output waits for the reply gate. */
        boolean held() {
            if (heldMark >= 0 && (gate == null || gate.passed(heldMark) || TimeVal.realMsec() >= heldUntil)) {
                heldMark = -1;
            }
            return heldMark >= 0;
        }

        private void flush() {
            if (held()) {
                return;
            }
            while (status == 0 && output != null) {
                int n;
                try {
                    n = UnixSocket.send(fd, output);
                } catch (NativeException e) {
                    if (JSONRPC_RL.admit(JSONRPC_LOG, Level.WARN)) {
                        JSONRPC_LOG.warn("{}: send error: {}", name, Native.strerror(e.errno()));
                    }
                    fail(e.errno());
                    return;
                }
                if (!output.hasRemaining()) {
                    output = null;
                } else if (n == 0) {
                    return;
                }
            }
        }

        /** Puts the connection out of commission: closes the fd and drops buffered data. */
        void fail(int error) {
            if (status == 0) {
                status = error;
                Native.closeQuietly(fd);
                fd = -1;
                output = null;
                inputStart = inputEnd = 0;
            }
        }
    }

    /** The reply channel of one request; answered exactly once. */
    private final class Request implements UnixctlConnection {
        final Connection conn;
        final Object id;
        boolean replied;

        Request(Connection conn, Object id) {
            this.conn = conn;
            this.id = id;
        }

        @Override
        public void reply(String body) {
            answer(true, body);
        }

        @Override
        public void replyError(String error) {
            answer(false, error);
        }

        private void answer(boolean success, String body) {
            if (replied) {
                throw new IllegalStateException("unixctl request answered twice");
            }
            replied = true;
            REPLIED.inc();
            String text = body == null ? "" : body;
            if (LOG.isDebugEnabled()) {
                LOG.debug("replying with {}, id={}: \"{}\"", success ? "success" : "error", Json.toString(id), text);
            }
            if (!text.isEmpty() && !text.endsWith("\n")) {
                text += "\n";
            }
            if (conn.request == this) {
                conn.request = null;
            }
            if (conn.status == 0 && JSONRPC_LOG.isDebugEnabled()) {
                JSONRPC_LOG.debug("{}: send reply, {}={}, id={}", conn.name, success ? "result" : "error",
                        Json.toString(text), Json.toString(id));
            }
            conn.send(JsonRpcMessage.replyText(id, success, text));
        }
    }
}
