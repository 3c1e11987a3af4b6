package org.jovs.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jovs.core.natives.Native;
import org.jovs.worker.natives.UnixSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reader against a real socketpair in this process, including the kernel behaviour that makes
 * fd attribution subtle: a read may return earlier messages together with a later fd-carrying
 * segment, and stops right after that segment.
 */
class FrameReaderTest {
    private int[] pair;
    private UnixSocket tx;
    private UnixSocket rx;
    private FrameReader reader;
    private final List<Integer> opened = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        pair = UnixSocket.socketpair();
        Native.setNonBlocking(pair[0]);
        Native.setNonBlocking(pair[1]);
        tx = new UnixSocket(pair[0]);
        rx = new UnixSocket(pair[1]);
        reader = new FrameReader(rx, Frame.REQUEST);
    }

    @AfterEach
    void closeAll() {
        reader.close();
        tx.close();
        rx.close();
        opened.forEach(Native::closeQuietly);
    }

    /** A pipe's two ends; both closed after the test. */
    private int[] pipe() {
        int[] p = new int[2];
        assertEquals(0, Native.libc().pipe2(p, Native.O_CLOEXEC));
        opened.add(p[0]);
        opened.add(p[1]);
        return p;
    }

    private static String target(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    private static ByteBuffer message(long cookie, int payloadLen, int nFds) {
        ByteBuffer b = ByteBuffer.allocateDirect(Frame.HEADER + payloadLen).order(ByteOrder.nativeOrder());
        Frame.putHeader(b, 0, Frame.REQUEST, nFds, payloadLen, 7, 0, cookie);
        for (int i = 0; i < payloadLen; i++) {
            b.put(Frame.HEADER + i, (byte) (cookie + i));
        }
        return b;
    }

    private long send(ByteBuffer m, int off, int[] fds) {
        return tx.send(m, off, m.capacity() - off, 0, 0, fds, fds == null ? 0 : fds.length, false);
    }

    /** Reads and parses until 'n' messages arrived; returns each one's cookie and fds targets. */
    private List<String> receive(int n) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < n) {
            while (reader.next()) {
                int[] fds = reader.takeFds();
                StringBuilder sb = new StringBuilder().append(reader.cookie());
                for (int i = 0; i < reader.length(); i++) {
                    assertEquals((byte) (reader.cookie() + i), reader.buffer().get(reader.payloadAt() + i));
                }
                if (fds != null) {
                    for (int fd : fds) {
                        sb.append(' ').append(target(fd));
                        Native.closeQuietly(fd);
                    }
                }
                got.add(sb.toString());
            }
            if (got.size() < n) {
                assertTrue(reader.fill(false) > 0, "expected more data");
            }
        }
        return got;
    }

    @Test
    void fdsAttachToTheirMessageWhenReadsMixMessages() throws Exception {
        int[] p1 = pipe();
        int[] p2 = pipe();
        int[] p3 = pipe();
        /* Plain, fds, plain, plain, fds(2), plain: all queued before the first read. */
        assertTrue(send(message(1, 100, 0), 0, null) > 0);
        assertTrue(send(message(2, 50, 1), 0, new int[] {p1[1]}) > 0);
        assertTrue(send(message(3, 0, 0), 0, null) > 0);
        assertTrue(send(message(4, 10, 0), 0, null) > 0);
        assertTrue(send(message(5, 3000, 2), 0, new int[] {p2[0], p3[1]}) > 0);
        assertTrue(send(message(6, 1, 0), 0, null) > 0);
        /* The kernel behaviour this design relies on: the first read returns message 1 together
         * with message 2 and its fds, and stops there. */
        assertEquals(2 * Frame.HEADER + 150, reader.fill(false));
        List<String> got = receive(6);
        assertEquals(List.of("1", "2 " + target(p1[1]), "3", "4", "5 " + target(p2[0]) + " " + target(p3[1]), "6"),
                got);
        assertTrue(reader.atBoundary());
    }

    @Test
    void fdsSurviveAPartialWrite() throws Exception {
        int[] p1 = pipe();
        int[] p2 = pipe();
        /* A message far bigger than the socket buffer: the first sendmsg takes only part of it (with
         * the fds), the rest goes later as plain writes; then another fd message follows. */
        ByteBuffer big = message(1, 900_000, 1);
        long sent = send(big, 0, new int[] {p1[0]});
        assertTrue(sent > 0 && sent < big.capacity(), "expected a partial write, got " + sent);
        List<String> got = new ArrayList<>();
        int off = (int) sent;
        while (got.isEmpty()) {
            if (off < big.capacity()) {
                long n = send(big, off, null);
                if (n > 0) {
                    off += (int) n;
                }
            }
            long r = reader.fill(false);
            assertTrue(r > 0 || r == -Native.EAGAIN);
            while (reader.next()) {
                int[] fds = reader.takeFds();
                got.add(reader.cookie() + " " + target(fds[0]));
                FrameReader.closeAll(fds);
            }
        }
        assertEquals(big.capacity(), off);
        assertTrue(send(message(2, 5, 1), 0, new int[] {p2[1]}) > 0);
        got.addAll(receive(1));
        assertEquals(List.of("1 " + target(p1[0]), "2 " + target(p2[1])), got);
    }

    @Test
    void rejectsBadMagic() {
        ByteBuffer m = message(1, 0, 0);
        m.putShort(0, (short) 0x4141);
        send(m, 0, null);
        assertTrue(reader.fill(false) > 0);
        CorruptChannelException e = assertThrows(CorruptChannelException.class, reader::next);
        assertEquals("bad magic 0x4141 at start of message", e.getMessage());
    }

    @Test
    void rejectsHugeLengthBeforeAllocating() {
        ByteBuffer m = message(1, 0, 0);
        m.putInt(Frame.OFF_LENGTH, 0x7fffffff);
        send(m, 0, null);
        assertTrue(reader.fill(false) > 0);
        CorruptChannelException e = assertThrows(CorruptChannelException.class, reader::next);
        assertEquals("message length 2147483647 exceeds maximum 1048576", e.getMessage());
    }

    @Test
    void rejectsTypesThisEndDoesNotAccept() {
        ByteBuffer m = message(1, 0, 0);
        m.put(Frame.OFF_TYPE, (byte) Frame.REPLY);
        send(m, 0, null);
        assertTrue(reader.fill(false) > 0);
        CorruptChannelException e = assertThrows(CorruptChannelException.class, reader::next);
        assertEquals("unexpected message reply", e.getMessage());
    }

    @Test
    void rejectsMissingFds() {
        send(message(1, 0, 2), 0, null);
        assertTrue(reader.fill(false) > 0);
        CorruptChannelException e = assertThrows(CorruptChannelException.class, reader::next);
        assertEquals("message claims 2 fds but none arrived", e.getMessage());
    }

    @Test
    void rejectsFdsThatNoMessageClaims() throws Exception {
        int[] p = pipe();
        send(message(1, 0, 0), 0, new int[] {p[0]});
        send(message(2, 0, 0), 0, null);
        assertTrue(reader.fill(false) > 0);
        assertTrue(reader.next());
        assertNull(reader.takeFds());
        assertTrue(reader.fill(false) > 0);
        CorruptChannelException e = assertThrows(CorruptChannelException.class, reader::next);
        assertEquals("received fds that no message claimed", e.getMessage());
    }

    @Test
    void pinnedPayloadStaysIntactWhileReadingOn() throws Exception {
        ByteBuffer first = message(1, 200_000, 0);
        long off = 0;
        while (off < first.capacity()) {
            long n = send(first, (int) off, null);
            if (n > 0) {
                off += n;
            }
            reader.fill(false);
        }
        while (!reader.next()) {
            assertTrue(reader.fill(false) > 0);
        }
        ByteBuffer payload = reader.buffer().slice(reader.payloadAt(), reader.length());
        byte[] before = new byte[payload.remaining()];
        payload.get(0, before);
        reader.pin();
        for (int i = 2; i < 40; i++) {
            ByteBuffer m = message(i, 60_000, 0);
            int at = 0;
            while (at < m.capacity()) {
                long n = send(m, at, null);
                if (n > 0) {
                    at += (int) n;
                }
                reader.fill(false);
                while (reader.next()) {
                    assertTrue(reader.cookie() > 1);
                }
            }
        }
        reader.unpin();
        byte[] after = new byte[payload.remaining()];
        payload.get(0, after);
        assertArrayEquals(before, after);
    }
}
