package org.jovs.worker;

import java.nio.ByteBuffer;

/**
 * The wire format between the main process and its worker (both ends are the same build on the
 * same host, so fields are in native byte order).
 *
 * <pre>
 * offset size field
 *  0     2    magic 0x574b ("WK"): catches a stream that lost its framing
 *  2     1    type: REQUEST, START (main to worker); READY, REPLY, ACK (worker to main)
 *  3     1    number of fds (0..8) that travel with this message
 *  4     4    payload length in bytes (at most MAX_PAYLOAD)
 *  8     4    handler id: REQUEST: the handler to run; REPLY: the handler that answered
 * 12     4    flags: REQUEST: FLAG_REPLY if the sender waits for a reply
 * 16     8    cookie: REQUEST: the request's sequence number; REPLY: the sequence number of the
 *             request answered; ACK: every request up to this sequence number has completed
 *
 * START (first message to the worker) carries the startup properties as a JSON object; READY
 * (first message from the worker) says that its handlers are initialised.
 * 24     ...  payload
 * </pre>
 *
 * <p>The header is written and read as three native-order 64-bit words, so that parsing costs three
 * loads: w0 = magic | type &lt;&lt; 16 | fds &lt;&lt; 24 | length &lt;&lt; 32, w1 = handler | flags &lt;&lt; 32,
 * w2 = cookie. On little-endian hosts (x86-64, aarch64) that is exactly the byte layout above.
 *
 * <p>The fds of a message are attached (SCM_RIGHTS) to the sendmsg(2) that starts with its
 * header. See {@link FrameReader} for why the receiver can then assign them by order alone.
 */
final class Frame {
    static final int HEADER = 24;
    static final short MAGIC = 0x574b;
    /** Largest payload; a header claiming more is treated as a corrupt channel, never allocated. */
    static final int MAX_PAYLOAD = 1 << 20;

    static final int REQUEST = 1;
    static final int REPLY = 2;
    static final int ACK = 3;
    static final int START = 4;
    static final int READY = 5;

    static final int FLAG_REPLY = 1;

    static final int OFF_TYPE = 2;
    static final int OFF_NFDS = 3;
    static final int OFF_LENGTH = 4;
    static final int OFF_HANDLER = 8;
    static final int OFF_COOKIE = 16;

    private Frame() {
    }

    /** Writes a header at absolute index 'at' of 'buf', which must be in native byte order. */
    static void putHeader(ByteBuffer buf, int at, int type, int nFds, int length, int handler, int flags,
            long cookie) {
        buf.putLong(at, (MAGIC & 0xffffL) | (type & 0xffL) << 16 | (nFds & 0xffL) << 24
                | (length & 0xffffffffL) << 32);
        buf.putLong(at + OFF_HANDLER, (handler & 0xffffffffL) | (long) flags << 32);
        buf.putLong(at + OFF_COOKIE, cookie);
    }

    static String typeName(int type) {
        switch (type) {
        case REQUEST:
            return "request";
        case REPLY:
            return "reply";
        case ACK:
            return "ack";
        case START:
            return "start";
        case READY:
            return "ready";
        default:
            return "type " + type;
        }
    }
}
