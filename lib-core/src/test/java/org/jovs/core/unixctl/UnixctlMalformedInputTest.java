package org.jovs.core.unixctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jovs.core.TimeVal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the server does with input that ovs-appctl never sends, written with raw client sockets.
 * Each case must end in the outcome OVS 3.1 gives (an error reply on a connection that stays
 * usable, or a dropped connection), and afterwards a fresh connection must still get "version"
 * answered within 100 ms. One server serves all cases, so damage from one case would show in the
 * next.
 *
 * <p>The table ({@link #cases()}) and its check ({@link #check}) only use commands every daemon
 * has (version, coverage/read-counter), so the integration tests run them against the real
 * daemon process too.
 */
public class UnixctlMalformedInputTest {
    private static final String VERSION_REQUEST = "{\"method\":\"version\",\"params\":[],\"id\":\"check\"}";

    private static UnixctlTestServer server;

    public enum Outcome {
        /** An error reply with the given text; the connection then still answers requests. */
        ERROR_REPLY,
        /** The server drops the connection without replying. */
        CLOSED
    }

    /** 'input' written at once; 'hangUp' half-closes afterwards, as a client that gave up. */
    public record Case(String name, byte[] input, boolean hangUp, Outcome outcome, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case closed(String name, String input) {
        return new Case(name, input.getBytes(StandardCharsets.UTF_8), false, Outcome.CLOSED, null);
    }

    private static Case closed(String name, byte[] input) {
        return new Case(name, input, false, Outcome.CLOSED, null);
    }

    private static Case error(String name, String input, String error) {
        return new Case(name, input.getBytes(StandardCharsets.UTF_8), false, Outcome.ERROR_REPLY, error);
    }

    public static Stream<Case> cases() {
        byte[] badUtf8 = concat("{\"method\":\"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\",\"params\":[],\"id\":1}");
        byte[] truncatedUtf8 = concat("{\"method\":\"", new byte[] {(byte) 0xe2, (byte) 0x82},
                "\",\"params\":[],\"id\":1}");
        byte[] overlongUtf8 = concat("{\"method\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf},
                "\",\"params\":[],\"id\":1}");
        byte[] controlChar = concat("{\"method\":\"ver", new byte[] {1}, "sion\",\"params\":[],\"id\":1}");
        byte[] nul = concat("{\"method\":\"version\",", new byte[] {0}, "\"params\":[],\"id\":1}");
        String tenMb = "{\"method\":\"coverage/read-counter\",\"params\":[\"" + "a".repeat(10 << 20) + "\"],\"id\":1}";
        String deepParams = "{\"method\":\"coverage/read-counter\",\"params\":[" + "[".repeat(990) + "]".repeat(990)
                + "],\"id\":1}";
        return Stream.of(
                closed("broken JSON: double comma", "{\"method\":\"version\",,\"params\":[],\"id\":1}"),
                closed("broken JSON: missing value", "{\"method\":\"version\",\"params\":[],\"id\":}"),
                closed("broken JSON: mismatched brackets", "{\"method\":\"version\",\"params\":[},\"id\":1]"),
                closed("broken JSON: bad keyword", "{\"method\":\"version\",\"params\":[],\"id\":nul}"),
                closed("top level is an array", "[\"version\",[],1]"),
                closed("top level is a string", "\"version\""),
                closed("top level is a number", "42 "),
                closed("binary garbage", new byte[] {0, 1, 2, 3, (byte) 0x80, 10}),
                closed("params is a string", "{\"method\":\"version\",\"params\":\"x\",\"id\":1}"),
                closed("params is an object", "{\"method\":\"version\",\"params\":{},\"id\":1}"),
                closed("params missing", "{\"method\":\"version\",\"id\":1}"),
                closed("params null", "{\"method\":\"version\",\"params\":null,\"id\":1}"),
                closed("method is a number", "{\"method\":5,\"params\":[],\"id\":1}"),
                closed("method is null", "{\"method\":null,\"params\":[],\"id\":1}"),
                closed("method missing", "{\"params\":[],\"id\":1}"),
                closed("notification: id null", "{\"method\":\"version\",\"params\":[],\"id\":null}"),
                closed("notification: id missing", "{\"method\":\"version\",\"params\":[]}"),
                closed("empty object", "{}"),
                closed("a reply sent to the server", "{\"result\":\"x\",\"error\":null,\"id\":1}"),
                closed("an error sent to the server", "{\"result\":null,\"error\":\"x\",\"id\":1}"),
                closed("unexpected member", "{\"method\":\"version\",\"params\":[],\"id\":1,\"extra\":true}"),
                closed("invalid UTF-8", badUtf8),
                closed("truncated UTF-8 sequence", truncatedUtf8),
                closed("overlong UTF-8 encoding", overlongUtf8),
                closed("unescaped control character", controlChar),
                closed("NUL byte between members", nul),
                closed("nesting deeper than 1000", "[".repeat(100_000)),
                closed("10 MB request", tenMb),
                new Case("half-written request, then hang-up",
                        "{\"method\":\"version\",\"par".getBytes(StandardCharsets.UTF_8), true, Outcome.CLOSED, null),
                new Case("valid request, then garbage",
                        (VERSION_REQUEST + "}").getBytes(StandardCharsets.UTF_8), false, Outcome.CLOSED, null),
                error("unknown command", "{\"method\":\"no-such\",\"params\":[],\"id\":1}",
                        "\"no-such\" is not a valid command (use \"list-commands\" to see a list of valid commands)"),
                error("empty command name", "{\"method\":\"\",\"params\":[],\"id\":1}",
                        "\"\" is not a valid command (use \"list-commands\" to see a list of valid commands)"),
                error("too many arguments", "{\"method\":\"version\",\"params\":[\"a\"],\"id\":1}",
                        "\"version\" command takes at most 0 arguments"),
                error("too few arguments", "{\"method\":\"coverage/read-counter\",\"params\":[],\"id\":1}",
                        "\"coverage/read-counter\" command requires at least 1 arguments"),
                error("non-string argument", "{\"method\":\"coverage/read-counter\",\"params\":[1],\"id\":1}",
                        "\"coverage/read-counter\" command has non-string argument"),
                error("null argument", "{\"method\":\"coverage/read-counter\",\"params\":[null],\"id\":{\"x\":[1]}}",
                        "\"coverage/read-counter\" command has non-string argument"),
                error("deeply nested argument within limits", deepParams,
                        "\"coverage/read-counter\" command has non-string argument"),
                error("argument count is checked before argument types",
                        "{\"method\":\"version\",\"params\":[{}],\"id\":1}",
                        "\"version\" command takes at most 0 arguments"));
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = new UnixctlTestServer(s -> {
            s.register("test/echo", "[ARG]", 0, 1, (conn, args) -> conn.reply(String.join(" ", args)));
            org.jovs.core.Coverage.registerCommands(s);
        });
        // Warm up the client library and the server's code paths before timing anything.
        for (int i = 0; i < 20; i++) {
            assertVersionAnswered(Long.MAX_VALUE);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedInputIsRejectedWithoutHarm(Case c) throws Exception {
        check(c, server.path(), UnixctlTestServer.VERSION);
    }

    /**
     * Writes case 'c' to the server at 'path', whose `version` reply is 'version', checks the
     * outcome, then checks that a fresh connection gets `version` answered within 100 ms.
     */
    public static void check(Case c, String path, String version) throws Exception {
        Map<String, Object> versionReply = UnixctlServerTest.success(version + "\n", "check");
        try (RawClient client = new RawClient(path)) {
            boolean writeFailed = false;
            try {
                client.send(c.input());
                if (c.hangUp()) {
                    client.shutdownOutput();
                }
            } catch (IOException e) {
                // The server dropped us while we were still writing.
                writeFailed = true;
            }
            if (c.name().startsWith("valid request")) {
                assertEquals(versionReply, client.readReply());
            }
            switch (c.outcome()) {
            case CLOSED:
                assertTrue(writeFailed || client.isClosedByServer(), "connection was not closed");
                break;
            case ERROR_REPLY:
                assertFalse(writeFailed);
                Map<String, Object> reply = client.readReply();
                Map<String, Object> expected = new LinkedHashMap<>();
                expected.put("error", c.error() + "\n");
                expected.put("id", idOf(c));
                assertEquals(expected, reply);
                // The connection survives an error reply.
                client.send(VERSION_REQUEST);
                assertEquals(versionReply, client.readReply());
                break;
            default:
                throw new AssertionError(c.outcome());
            }
        }
        assertVersionAnswered(path, version, 100);
    }

    @Test
    void twoHundredIdleConnectionsDoNotStopTheServer() throws Exception {
        List<RawClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                idle.add(new RawClient(server.path()));
            }
            // Give the server time to accept them all (10 per run); the check itself must be fast.
            assertVersionAnswered(Long.MAX_VALUE);
            assertVersionAnswered(100);
            // The idle connections are open and usable, the first and the last alike.
            for (RawClient c : List.of(idle.get(0), idle.get(199))) {
                c.send(VERSION_REQUEST);
                assertEquals(UnixctlServerTest.success(UnixctlTestServer.VERSION + "\n", "check"), c.readReply());
            }
        } finally {
            for (RawClient c : idle) {
                c.close();
            }
        }
        assertVersionAnswered(100);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient client = new RawClient(server.path())) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 25; i++) {
                sb.append("{\"method\":\"test/echo\",\"params\":[\"").append(i).append("\"],\"id\":").append(i)
                        .append("}\n");
            }
            client.send(sb.toString());
            for (long i = 0; i < 25; i++) {
                assertEquals(UnixctlServerTest.success(i + "\n", i), client.readReply());
            }
        }
    }

    @Test
    void requestSplitIntoSingleBytesIsReassembled() throws Exception {
        try (RawClient client = new RawClient(server.path())) {
            for (byte b : VERSION_REQUEST.getBytes(StandardCharsets.UTF_8)) {
                client.send(new byte[] {b});
            }
            assertEquals(UnixctlServerTest.success(UnixctlTestServer.VERSION + "\n", "check"), client.readReply());
        }
    }

    private static void assertVersionAnswered(long maxMs) throws Exception {
        assertVersionAnswered(server.path(), UnixctlTestServer.VERSION, maxMs);
    }

    /** A fresh connection to 'path' gets "version" answered within 'maxMs' milliseconds. */
    public static void assertVersionAnswered(String path, String version, long maxMs) throws Exception {
        long start = TimeVal.msec();
        try (RawClient client = new RawClient(path)) {
            client.send(VERSION_REQUEST);
            assertEquals(UnixctlServerTest.success(version + "\n", "check"), client.readReply());
        }
        long took = TimeVal.msec() - start;
        assertTrue(took <= maxMs, "version took " + took + " ms");
    }

    private static Object idOf(Case c) throws Exception {
        Object json = org.jovs.core.json.Json.parse(new String(c.input(), StandardCharsets.UTF_8));
        return ((Map<?, ?>) json).get("id");
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(h, h.length + middle.length + t.length);
        System.arraycopy(middle, 0, out, h.length, middle.length);
        System.arraycopy(t, 0, out, h.length + middle.length, t.length);
        return out;
    }
}
