package org.jovs.core.unixctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jovs.core.Coverage;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The unixctl server driven by the real /usr/bin/ovs-appctl (OVS 3.1), and by raw clients. */
public class UnixctlServerTest {
    /** Far more than a socket buffer holds, so that the server must write it in pieces. */
    private static final String BIG_REPLY = "0123456789abcdef".repeat(256 << 10) + "\n";

    /** Holds a request whose reply is deferred; touched only on the loop thread. */
    private UnixctlConnection deferred;
    private final CountDownLatch deferredArrived = new CountDownLatch(1);

    private void registerTestCommands(UnixctlServer server) {
        server.register("test/echo", "[ARG...]", 0, 2, (conn, args) -> conn.reply(String.join(" ", args)));
        server.register("test/hidden", null, 0, 0, (conn, args) -> conn.reply("hidden"));
        server.register("test/defer", "", 0, 0, (conn, args) -> {
            deferred = conn;
            deferredArrived.countDown();
        });
        server.register("test/release", "TEXT", 1, 1, (conn, args) -> {
            deferred.reply(args.get(0));
            conn.reply("released");
        });
        server.register("test/fail", "", 0, 0, (conn, args) -> conn.replyError("it failed"));
        server.register("test/big", "", 0, 0, (conn, args) -> conn.reply(BIG_REPLY));
        server.register("test/throw", "", 0, 0, (conn, args) -> {
            conn.reply("first");
            conn.reply("second");
        });
    }

    @Test
    void versionRepliesTheVersionStringWithANewLine() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            Appctl.Result r = Appctl.run(s.path(), "version");
            assertEquals(new Appctl.Result(0, UnixctlTestServer.VERSION + "\n", ""), r);
        }
    }

    @Test
    void listCommandsMatchesOvsFormatSortedAndWithoutHiddenCommands() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            Appctl.Result r = Appctl.run(s.path(), "list-commands");
            String expected = "The available commands are:\n"
                    + "  list-commands           \n"
                    + "  test/big                \n"
                    + "  test/defer              \n"
                    + "  test/echo               [ARG...]\n"
                    + "  test/fail               \n"
                    + "  test/release            TEXT\n"
                    + "  test/throw              \n"
                    + "  version                 \n";
            assertEquals(new Appctl.Result(0, expected, ""), r);
            // Hidden, but it works; and OVS 3.1 has no "help" alias any more.
            assertEquals("hidden\n", Appctl.run(s.path(), "test/hidden").stdout());
            assertEquals(2, Appctl.run(s.path(), "help").status());
        }
    }

    /** A reply waits for its gate, which sees every mark, and goes out anyway after the bound. */
    @Test
    void repliesWaitForTheGateAtMostTheBound() throws Exception {
        java.util.concurrent.atomic.AtomicLong marks = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong passedUpTo = new java.util.concurrent.atomic.AtomicLong(-1);
        ReplyGate gate = new ReplyGate() {
            @Override
            public long mark() {
                return marks.incrementAndGet();
            }

            @Override
            public boolean passed(long mark) {
                return mark <= passedUpTo.get();
            }
        };
        try (UnixctlTestServer s = new UnixctlTestServer(server -> {
            registerTestCommands(server);
            server.setReplyGate(gate);
        })) {
            long start = System.nanoTime();
            assertEquals(new Appctl.Result(0, UnixctlTestServer.VERSION + "\n", ""), Appctl.run(s.path(), "version"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= UnixctlServer.MAX_REPLY_HOLD_MS, "held only " + ms + " ms");
            assertEquals(1, marks.get());
            passedUpTo.set(Long.MAX_VALUE);
            assertEquals(new Appctl.Result(0, "a\n", ""), Appctl.run(s.path(), "test/echo", "a"));
            assertEquals(2, marks.get());
        }
    }

    @Test
    void unknownCommandIsAnErrorWithExitStatus2() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            Appctl.Result r = Appctl.run(s.path(), "no/such-command", "x");
            assertEquals(2, r.status());
            assertEquals("", r.stdout());
            assertEquals("\"no/such-command\" is not a valid command (use \"list-commands\" to see a list of valid"
                    + " commands)\novs-appctl: " + s.path() + ": server returned an error\n", r.stderr());
        }
    }

    @Test
    void argumentCountsAreChecked() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            Appctl.Result few = Appctl.run(s.path(), "test/release");
            assertEquals(2, few.status());
            assertTrue(few.stderr().startsWith("\"test/release\" command requires at least 1 arguments\n"),
                    few.stderr());
            Appctl.Result many = Appctl.run(s.path(), "test/echo", "a", "b", "c");
            assertEquals(2, many.status());
            assertTrue(many.stderr().startsWith("\"test/echo\" command takes at most 2 arguments\n"), many.stderr());
            assertEquals(new Appctl.Result(0, "a b\n", ""), Appctl.run(s.path(), "test/echo", "a", "b"));
            // An empty success body stays empty: OVS adds the new line only to non-empty bodies.
            assertEquals(new Appctl.Result(0, "", ""), Appctl.run(s.path(), "test/echo"));
        }
    }

    @Test
    void errorRepliesFromHandlersReachTheClient() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            Appctl.Result r = Appctl.run(s.path(), "test/fail");
            assertEquals(2, r.status());
            assertEquals("it failed\novs-appctl: " + s.path() + ": server returned an error\n", r.stderr());
        }
    }

    @Test
    void deferredReplyArrivesWhenAnotherCommandReleasesIt() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            Process waiting = Appctl.start(s.path(), "test/defer");
            assertTrue(deferredArrived.await(10, TimeUnit.SECONDS));
            assertFalse(waiting.waitFor(200, TimeUnit.MILLISECONDS), "deferred request answered early");
            // The server keeps serving others while one request waits.
            assertEquals(new Appctl.Result(0, "released\n", ""), Appctl.run(s.path(), "test/release", "done"));
            assertEquals(new Appctl.Result(0, "done\n", ""), Appctl.finish(waiting));
        }
    }

    @Test
    void aConnectionReadsTheNextRequestOnlyAfterReplying() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands);
                RawClient client = new RawClient(s.path())) {
            client.send("{\"method\":\"test/defer\",\"params\":[],\"id\":1}"
                    + "{\"method\":\"version\",\"params\":[],\"id\":2}");
            assertTrue(deferredArrived.await(10, TimeUnit.SECONDS));
            Appctl.run(s.path(), "test/release", "later");
            assertEquals(success("later\n", 1L), client.readReply());
            assertEquals(success(UnixctlTestServer.VERSION + "\n", 2L),
                    client.readReply());
        }
    }

    @Test
    void aLargeReplyToASlowReaderIsWrittenInPiecesWhileOthersAreServed() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            try (RawClient slow = new RawClient(s.path()); RawClient gone = new RawClient(s.path())) {
                slow.send("{\"method\":\"test/big\",\"params\":[],\"id\":1}");
                gone.send("{\"method\":\"test/big\",\"params\":[],\"id\":2}");
                // Neither reads yet: both replies sit half-written in the server.
                assertEquals(new Appctl.Result(0, UnixctlTestServer.VERSION + "\n", ""),
                        Appctl.run(s.path(), "version"));
                gone.close();
                assertEquals(success(BIG_REPLY, 1L), slow.readReply());
                slow.send("{\"method\":\"version\",\"params\":[],\"id\":2}");
                assertEquals(success(UnixctlTestServer.VERSION + "\n", 2L), slow.readReply());
            }
            assertEquals(0, Appctl.run(s.path(), "version").status());
        }
    }

    @Test
    void deferredReplyToAClientThatHungUpIsHarmless() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            try (RawClient client = new RawClient(s.path())) {
                client.send("{\"method\":\"test/defer\",\"params\":[],\"id\":\"x\"}");
                assertTrue(deferredArrived.await(10, TimeUnit.SECONDS));
            }
            assertEquals(new Appctl.Result(0, "released\n", ""), Appctl.run(s.path(), "test/release", "nobody"));
            assertEquals(0, Appctl.run(s.path(), "version").status());
        }
    }

    @Test
    void deferredReplyAfterTheServerClosedIsHarmless() throws Exception {
        UnixctlServer server = UnixctlServer.create("late.ctl", Files.createTempDirectory("jovs-unixctl").toString(),
                "jovs-test", "v");
        Path dir = Path.of(server.path()).getParent();
        try (RawClient client = new RawClient(server.path())) {
            server.register("test/defer", "", 0, 0, (conn, args) -> deferred = conn);
            client.send("{\"method\":\"test/defer\",\"params\":[],\"id\":1}");
            for (int i = 0; i < 100 && deferred == null; i++) {
                server.run();
                Thread.sleep(10);
            }
            server.close();
            assertFalse(Files.exists(Path.of(dir.toString(), "late.ctl")), "close() must remove the socket");
            deferred.reply("too late");
            assertTrue(client.isClosedByServer());
            assertThrows(IllegalStateException.class, () -> deferred.reply("twice"));
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aHandlerBugAnswersOnceAndTheServerStaysUp() throws Exception {
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands)) {
            assertEquals(new Appctl.Result(0, "first\n", ""), Appctl.run(s.path(), "test/throw"));
            assertEquals(0, Appctl.run(s.path(), "version").status());
        }
    }

    @Test
    void replacesAStaleSocketFileAndNamesTheDefaultPathAfterPid() throws Exception {
        Path dir = Files.createTempDirectory("jovs-unixctl");
        Path expected = dir.resolve("jovs-test." + ProcessHandle.current().pid() + ".ctl");
        try {
            Files.writeString(expected, "stale");
            try (UnixctlServer server = UnixctlServer.create(null, dir.toString(), "jovs-test", "v")) {
                assertEquals(expected.toString(), server.path());
                try (RawClient client = new RawClient(server.path())) {
                    client.send("{\"method\":\"version\",\"params\":[],\"id\":7}");
                    Map<String, Object> reply = null;
                    for (int i = 0; i < 200 && reply == null; i++) {
                        server.run();
                        reply = tryReadReply(client);
                    }
                    assertEquals(success("v\n", 7L), reply);
                }
            }
            assertFalse(Files.exists(expected));
        } finally {
            Files.deleteIfExists(expected);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void socketPathLongerThanSunPathWorksAsInOvs() throws Exception {
        // Too long for sun_path (108 bytes); OVS binds and connects through /proc/self/fd/DIRFD/test.ctl.
        String longName = "d".repeat(100) + "/test.ctl";
        try (UnixctlTestServer s = new UnixctlTestServer(longName, this::registerTestCommands)) {
            assertTrue(s.path().length() > 108, s.path());
            assertEquals(new Appctl.Result(0, UnixctlTestServer.VERSION + "\n", ""), Appctl.run(s.path(), "version"));
        }
    }

    @Test
    void unusablePathGivesOvsErrorText() throws IOException {
        Path dir = Files.createTempDirectory("jovs-unixctl");
        try {
            IOException e = assertThrows(IOException.class,
                    () -> UnixctlServer.create("missing/dir/x.ctl", dir.toString(), "jovs-test", "v"));
            assertEquals(dir + "/missing/dir/x.ctl: could not initialize control socket (No such file or directory)",
                    e.getMessage());
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void noneCreatesNoSocket() throws Exception {
        try (UnixctlServer server = UnixctlServer.create("none", "/nonexistent", "jovs-test", "v")) {
            assertNull(server.path());
            server.run();
        }
    }

    @Test
    void duplicateRegistrationIsRefused() throws Exception {
        try (UnixctlServer server = UnixctlServer.create("none", null, "jovs-test", "v")) {
            assertThrows(IllegalArgumentException.class, () -> server.register("version", "", 0, 0, (c, a) -> { }));
        }
    }

    @Test
    void requestsAndRepliesAreCountedAndLoggedAsOvsDoes() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("unixctl");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level old = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        long received = Coverage.counter("unixctl_received").total();
        long replied = Coverage.counter("unixctl_replied").total();
        try (UnixctlTestServer s = new UnixctlTestServer(this::registerTestCommands);
                RawClient client = new RawClient(s.path())) {
            client.send("{\"method\":\"test/echo\",\"params\":[\"a\",\"b\"],\"id\":5}");
            client.readReply();
            client.send("{\"method\":\"nope\",\"params\":[],\"id\":6}");
            client.readReply();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(old);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("received request test/echo[\"a\",\"b\"], id=5",
                "replying with success, id=5: \"a b\"",
                "received request nope[], id=6",
                "replying with error, id=6: \"\"nope\" is not a valid command (use \"list-commands\" to see a list"
                        + " of valid commands)\""), lines);
        assertEquals(received + 2, Coverage.counter("unixctl_received").total());
        assertEquals(replied + 2, Coverage.counter("unixctl_replied").total());
    }

    private static Map<String, Object> tryReadReply(RawClient client) throws Exception {
        // The server runs on this thread here, so poll briefly instead of blocking in readReply().
        Thread.sleep(5);
        return client.available() ? client.readReply() : null;
    }

    /** A success reply as the server sends it. */
    public static Map<String, Object> success(String result, Object id) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("result", result);
        reply.put("error", null);
        reply.put("id", id);
        return reply;
    }
}
