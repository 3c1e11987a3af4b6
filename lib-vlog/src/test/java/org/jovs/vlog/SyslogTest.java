package org.jovs.vlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog methods and --syslog-target against real sockets bound by the test: a Unix datagram
 * socket standing in for /dev/log or a syslog daemon, and UDP on 127.0.0.1.
 */
class SyslogTest {
    private static final Logger LOG = LoggerFactory.getLogger("syslog_test");

    @TempDir
    Path dir;

    /**
     * The next datagram on 'ch', or null if none comes within 'waitMs'. (receive() returns null
     * for a sender without an address, as vlog's unbound Unix socket is, so look at the buffer.)
     */
    private static String receive(DatagramChannel ch, long waitMs) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        for (ch.receive(buf); buf.position() == 0; ch.receive(buf)) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(1);
        }
        buf.flip();
        return StandardCharsets.UTF_8.decode(buf).toString();
    }

    private static String receive(DatagramChannel ch) throws Exception {
        return receive(ch, 2000);
    }

    private static DatagramChannel queued(DatagramChannel ch) throws IOException {
        ch.configureBlocking(false);
        return ch;
    }

    private AFUNIXDatagramChannel unixServer(Path path) throws IOException {
        AFUNIXDatagramChannel ch = AFUNIXDatagramChannel.open();
        ch.bind(AFUNIXSocketAddress.of(path.toFile()));
        queued(ch);
        return ch;
    }

    private static DatagramChannel udpServer() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        return queued(ch);
    }

    private static int port(DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    @Test
    void unixMethodSendsPriAndEachLine() throws Exception {
        Path sock = dir.resolve("syslog.sock");
        try (AFUNIXDatagramChannel server = unixServer(sock);
             TestEngine t = new TestEngine("unix:" + sock)) {
            LOG.warn("hello\n\nworld");
            assertEquals("<28>ovs|00001|syslog_test|WARN|hello", receive(server));
            assertEquals("<28>world", receive(server), "each line is its own message");
            t.engine.setVerbosity("FACILITY:local3");
            LOG.info("x");
            assertEquals("<157>ovs|00002|syslog_test|INFO|x", receive(server));
            t.engine.setVerbosity("syslog_test:syslog:off");
            LOG.error("not to syslog");
            LOG.debug("not at all");
            // Sends happen before the log call returns: anything sent would be queued already.
            assertNull(receive(server, 0));
            assertTrue(t.console().contains("|syslog_test|ERR|not to syslog"));
            assertTrue(VlogCommands.LIST_PATTERN.action().run(List.of())
                    .startsWith("         prefix                            format\n"
                            + "         ------                            ------\n"
                            + "SYSLOG   <%B>                              ovs|%05N|%c%T|%p|%m\n"));
        }
    }

    @Test
    void udpMethodAndFirstMethodWins() throws Exception {
        try (DatagramChannel server = udpServer();
             TestEngine t = new TestEngine("udp:127.0.0.1:" + port(server))) {
            t.engine.setSyslogMethod("unix:" + dir.resolve("ignored.sock"));
            t.engine.setSubprogramName("worker");
            LOG.info("via udp");
            assertEquals("<29>ovs|00001|syslog_test(worker)|INFO|via udp", receive(server));
        }
    }

    @Test
    void libcMethodFormatsLikeGlibc() throws Exception {
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        Path sock = dir.resolve("dev-log");
        try (AFUNIXDatagramChannel server = unixServer(sock)) {
            Syslog libc = Syslog.libc(sock.toString());
            assertEquals("<%B> %D{%h %e %T} %E %A:", libc.prefix());
            LogMessage m = new LogMessage("bridge", Level.ERR, "", 1, 1798779967_004L, 0,
                    "ovs-vswitchd", "", 1, "h", Syslog.LOCAL0 + (3 << 3));
            libc.send("ovs|00001|bridge|ERR|boom", m);
            assertEquals("<155>Jan  1 05:06:07 ovs-vswitchd: ovs|00001|bridge|ERR|boom",
                    receive(server));
            libc.close();
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void syslogTargetSendsRfc5424Copies() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        try (DatagramChannel server = udpServer(); TestEngine t = new TestEngine()) {
            t.engine.setSyslogTarget("127.0.0.1:" + port(server));
            assertTrue(t.console().contains(
                    "|vlog|WARN|--syslog-target flag is deprecated, use --syslog-method instead"),
                    t.console());
            String deprecation = receive(server);
            assertTrue(deprecation.contains(" vlog - \uFEFF--syslog-target flag"), deprecation);
            LOG.warn("copied");
            String msg = receive(server);
            String expected = "<132>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
                    + host + " test-vswitchd " + ProcessHandle.current().pid()
                    + " syslog_test - \uFEFFcopied";
            assertTrue(msg.matches(expected), msg);
        }
    }

    @Test
    void badTargetsAreReportedAndIgnored() throws Exception {
        try (TestEngine t = new TestEngine()) {
            t.engine.setSyslogTarget("127.0.0.1");
            t.engine.setSyslogTarget("localhost:514");
            LOG.info("still fine");
            String console = t.console();
            assertTrue(console.contains("|socket_util|ERR|127.0.0.1: port must be specified\n"),
                    console);
            assertTrue(console.contains(
                    "|socket_util|ERR|localhost:514: bad IP address \"localhost\"\n"), console);
            assertTrue(console.contains("|syslog_test|INFO|still fine"), console);
        }
    }

    @Test
    void unsupportedMethod() {
        VlogException e = assertThrows(VlogException.class,
                () -> Syslog.forMethod("bogus", "/dev/log"));
        assertEquals("unsupported syslog method 'bogus'", e.getMessage());
    }
}
