package org.jovs.vswitchd.ofproto;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.jovs.core.PollLoop;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.core.natives.UnixSocket;

/**
 * The byte stream of one OpenFlow connection on a non-blocking socket fd (unix or tcp): splits
 * what arrives into messages by their header length, and queues what is sent until the socket
 * takes it. Owns the fd from construction to {@link #close()}. Never blocks; main thread only.
 *
 * <p>A header shorter than 8 bytes in its length field is a protocol error that ends the
 * connection, as OVS's vconn does. At most {@link #MAX_QUEUED} bytes wait to be sent; beyond
 * that the peer is not reading and the connection is dropped.
 */
final class OfConnection {
    private static final int MAX_QUEUED = 8 << 20;
    private static final ByteBuffer READ_BUF = ByteBuffer.allocateDirect(65536);
    private static final ByteBuffer WRITE_BUF = ByteBuffer.allocateDirect(65536);

    final String name;
    private int fd;
    private byte[] in = new byte[4096];
    private int inLen;
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private int outOffset;
    private long queued;
    /** Null while open; "end of file", or the error text once the connection failed. */
    private String failure;

    OfConnection(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    boolean isOpen() {
        return failure == null;
    }

    String failure() {
        return failure;
    }

    /** Reads what is available and returns the complete messages, at most 'max' of them. */
    List<byte[]> receive(int max) {
        List<byte[]> msgs = new ArrayList<>();
        while (failure == null && msgs.size() < max) {
            byte[] m = nextMessage();
            if (m != null) {
                msgs.add(m);
                continue;
            }
            READ_BUF.clear();
            int n;
            try {
                n = UnixSocket.read(fd, READ_BUF);
            } catch (NativeException e) {
                fail(Native.strerror(e.errno()));
                break;
            }
            if (n < 0) {
                break;
            }
            if (n == 0) {
                fail("connection closed by peer");
                break;
            }
            if (inLen + n > in.length) {
                in = java.util.Arrays.copyOf(in, Math.max(in.length * 2, inLen + n));
            }
            READ_BUF.flip();
            READ_BUF.get(in, inLen, n);
            inLen += n;
        }
        return msgs;
    }

    private byte[] nextMessage() {
        if (inLen < OfWire.HEADER_LEN) {
            return null;
        }
        int len = (in[2] & 0xff) << 8 | in[3] & 0xff;
        if (len < OfWire.HEADER_LEN) {
            fail("received too-short ofp_header (" + len + " bytes)");
            return null;
        }
        if (inLen < len) {
            return null;
        }
        byte[] m = java.util.Arrays.copyOf(in, len);
        System.arraycopy(in, len, in, 0, inLen - len);
        inLen -= len;
        return m;
    }

    /** Queues 'msg' and sends what the socket takes now. */
    void send(byte[] msg) {
        if (failure != null) {
            return;
        }
        out.add(msg);
        queued += msg.length;
        if (queued > MAX_QUEUED) {
            fail("send queue overflow");
            return;
        }
        flush();
    }

    /** Sends queued bytes until the socket is full. */
    void flush() {
        while (failure != null ? false : !out.isEmpty()) {
            byte[] head = out.peek();
            WRITE_BUF.clear();
            int n = Math.min(WRITE_BUF.capacity(), head.length - outOffset);
            WRITE_BUF.put(head, outOffset, n).flip();
            int sent;
            try {
                sent = UnixSocket.send(fd, WRITE_BUF);
            } catch (NativeException e) {
                fail(Native.strerror(e.errno()));
                return;
            }
            if (sent == 0) {
                return;
            }
            outOffset += sent;
            queued -= sent;
            if (outOffset == head.length) {
                out.poll();
                outOffset = 0;
            }
        }
    }

    boolean hasQueued() {
        return !out.isEmpty();
    }

    void waitFor(PollLoop loop) {
        if (failure != null) {
            loop.immediateWake();
            return;
        }
        loop.fdWait(fd, out.isEmpty() ? PollLoop.POLLIN : PollLoop.POLLIN | PollLoop.POLLOUT, name);
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    void close() {
        if (fd >= 0) {
            Native.closeQuietly(fd);
            fd = -1;
        }
        fail("closed");
    }
}
