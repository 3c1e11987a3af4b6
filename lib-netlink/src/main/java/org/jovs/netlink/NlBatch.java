package org.jovs.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a netlink batch and its outcome cross the worker channel, between {@link NlWorkerExecutor}
 * (main process) and {@link NlBatchHandler} (worker). Pure encoding; both ends are the same build
 * on the same machine, so integers are in host byte order.
 *
 * <pre>
 * request: u8 kind (TRANSACT or DUMP), u8 protocol, u16 0, u32 count,
 *          then per message: u32 length, the message bytes
 * reply:   u8 OK,     u8 0, u16 0, u32 count, then per reply: u32 length, the reply bytes
 *          u8 FAILED, then the failure text in UTF-8
 * </pre>
 * Malformed input raises {@link NlParseException}.
 */
record NlBatch(int kind, int protocol, List<byte[]> messages) {
    static final int TRANSACT = 0;
    static final int DUMP = 1;
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int HEADER = 8;

    NlBatch {
        messages = List.copyOf(messages);
        if (kind == DUMP && messages.size() != 1) {
            throw new IllegalArgumentException("a dump is one request, not " + messages.size());
        }
    }

    /** The encoded request. */
    ByteBuffer encode() {
        ByteBuffer b = sized(messages).put((byte) kind).put((byte) protocol).putShort((short) 0);
        putAll(b, messages);
        return b.flip();
    }

    /** Decodes a request from the bytes between position and limit of 'b' (position is kept). */
    static NlBatch decode(ByteBuffer b) throws NlParseException {
        ByteBuffer in = b.slice().order(ByteOrder.nativeOrder());
        if (in.remaining() < HEADER) {
            throw new NlParseException("netlink batch request of " + in.remaining() + " bytes");
        }
        int kind = in.get() & 0xff;
        int protocol = in.get() & 0xff;
        in.getShort();
        if (kind != TRANSACT && kind != DUMP) {
            throw new NlParseException("netlink batch of unknown kind " + kind);
        }
        List<byte[]> messages = getAll(in);
        if (kind == DUMP && messages.size() != 1) {
            throw new NlParseException("netlink dump batch with " + messages.size() + " requests");
        }
        return new NlBatch(kind, protocol, messages);
    }

    /** The encoded successful outcome: 'replies' in request order. */
    static ByteBuffer encodeReplies(List<byte[]> replies) {
        ByteBuffer b = sized(replies).put((byte) OK).put((byte) 0).putShort((short) 0);
        putAll(b, replies);
        return b.flip();
    }

    /** The encoded failed outcome, explained by 'text'. */
    static ByteBuffer encodeFailure(String text) {
        byte[] t = String.valueOf(text).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + t.length).put((byte) FAILED).put(t).flip();
    }

    /** Decodes an outcome from the bytes between position and limit of 'b'. */
    static NlResult decodeResult(ByteBuffer b) throws NlParseException {
        ByteBuffer in = b.slice().order(ByteOrder.nativeOrder());
        if (in.remaining() >= 1 && in.get(0) == FAILED) {
            byte[] t = new byte[in.remaining() - 1];
            in.get(1, t);
            return NlResult.failed(new NlException(new String(t, StandardCharsets.UTF_8)));
        }
        if (in.remaining() < HEADER || in.get(0) != OK) {
            throw new NlParseException("malformed netlink batch reply of " + in.remaining() + " bytes");
        }
        in.position(4); // past the status byte and padding, at the count
        return NlResult.of(getAll(in));
    }

    /** The encoded size of a batch or outcome carrying 'items'. */
    static int encodedSize(List<byte[]> items) {
        long n = HEADER;
        for (byte[] m : items) {
            n += 4 + m.length;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private static ByteBuffer sized(List<byte[]> items) {
        return ByteBuffer.allocate(encodedSize(items)).order(ByteOrder.nativeOrder());
    }

    private static void putAll(ByteBuffer b, List<byte[]> items) {
        b.putInt(items.size());
        for (byte[] m : items) {
            b.putInt(m.length).put(m);
        }
    }

    private static List<byte[]> getAll(ByteBuffer in) throws NlParseException {
        if (in.remaining() < 4) {
            throw new NlParseException("netlink batch truncated before its count");
        }
        int count = in.getInt();
        // Each item needs at least its length word: a larger count is a lie.
        if (count < 0 || count > in.remaining() / 4) {
            throw new NlParseException("netlink batch count " + Integer.toUnsignedString(count) + " with "
                    + in.remaining() + " bytes left");
        }
        List<byte[]> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw new NlParseException("netlink batch truncated at item " + i);
            }
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) {
                throw new NlParseException("netlink batch item " + i + " of " + Integer.toUnsignedString(len)
                        + " bytes with " + in.remaining() + " left");
            }
            byte[] m = new byte[len];
            in.get(m);
            items.add(m);
        }
        if (in.hasRemaining()) {
            throw new NlParseException("netlink batch has " + in.remaining() + " bytes after its last item");
        }
        return items;
    }
}
