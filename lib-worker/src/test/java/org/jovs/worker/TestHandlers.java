package org.jovs.worker;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jovs.core.natives.Native;

/**
 * Handlers that the worker processes of these tests load (listed in the test resources'
 * META-INF/services, which the child JVM sees because it runs with the same class path). Ids 1001+.
 */
public final class TestHandlers {
    static final int SEQUENCED = 1001;
    static final int PIPE_WRITE = 1002;
    static final int BIG_REPLY = 1003;
    static final int APPEND_LINE = 1004;
    static final int ECHO = 1005;
    static final int NOOP = 1006;
    static final int CRASH = 1007;
    static final int ROGUE = 1008;
    static final int BAD_REPLY = 1009;

    /** Startup property naming the file that APPEND_LINE appends to. */
    static final String APPEND_FILE = "test.append.file";
    /**
     * Startup properties that make APPEND_LINE, before its GATE_AT'th request, wait until the
     * file GATE exists: lets a test hold the worker back until the main process is gone.
     */
    static final String GATE = "test.append.gate";
    static final String GATE_AT = "test.append.gate.at";
    static final int BIG_REPLY_SIZE = 64 * 1024;

    private TestHandlers() {
    }

    /** The byte at 'index' of the payload of request 'seq' in the FIFO test. */
    static byte pattern(long seq, int index) {
        return (byte) (seq * 31 + index * 7);
    }

    /** The size of the reply to request 'seq' in the FIFO test: skewed small, up to 64 KiB. */
    static int replySize(long seq) {
        long h = seq * 0x9E3779B97F4A7C15L;
        int r = (int) ((h >>> 40) % 100);
        int bound = r < 90 ? 257 : r < 99 ? 4097 : 65537;
        return 8 + (int) ((h >>> 8) % bound);
    }

    /**
     * Checks that requests arrive with consecutive sequence numbers and intact payloads; replies
     * (if asked) with the count seen so far followed by replySize(seq) - 8 pattern bytes. Any
     * mismatch throws, which kills the worker: the test sees a restart.
     */
    public static final class Sequenced implements WorkerHandler {
        private long last;
        private long count;

        @Override
        public int id() {
            return SEQUENCED;
        }

        @Override
        public void handle(WorkerRequest r) {
            long seq = r.sequence();
            if (last != 0 && seq != last + 1) {
                throw new IllegalStateException("request " + seq + " after " + last);
            }
            last = seq;
            count++;
            ByteBuffer p = r.payload();
            int base = p.position();
            for (int i = 0; i < p.remaining(); i++) {
                if (p.get(base + i) != pattern(seq, i)) {
                    throw new IllegalStateException("payload of request " + seq + " corrupt at byte " + i);
                }
            }
            if (r.wantsReply()) {
                int size = replySize(seq);
                ByteBuffer reply = ByteBuffer.allocate(size);
                reply.putLong(0, count);
                for (int i = 8; i < size; i++) {
                    reply.put(i, pattern(seq, i));
                }
                r.reply(reply);
            }
        }
    }

    /** Writes the payload to the request's one fd; if a reply is wanted, sends that fd back. */
    public static final class PipeWrite implements WorkerHandler {
        @Override
        public int id() {
            return PIPE_WRITE;
        }

        @Override
        public void handle(WorkerRequest r) {
            int[] fds = r.fds();
            try {
                if (fds.length != 1) {
                    throw new IllegalStateException("expected 1 fd, got " + fds.length);
                }
                ByteBuffer p = r.payload();
                ByteBuffer direct = ByteBuffer.allocateDirect(p.remaining());
                direct.put(0, p, p.position(), p.remaining());
                if (Native.libc().write(fds[0], direct, p.remaining()) != p.remaining()) {
                    throw new IllegalStateException("short write to pipe");
                }
                if (r.wantsReply()) {
                    r.reply(ByteBuffer.allocate(0), fds);
                }
            } finally {
                for (int fd : fds) {
                    Native.closeQuietly(fd);
                }
            }
        }
    }

    /** Replies with 64 KiB whose first 8 bytes are the request's sequence number. */
    public static final class BigReply implements WorkerHandler {
        private final ByteBuffer reply = ByteBuffer.allocate(BIG_REPLY_SIZE);

        @Override
        public int id() {
            return BIG_REPLY;
        }

        @Override
        public void handle(WorkerRequest r) {
            reply.clear();
            reply.putLong(0, r.sequence());
            r.reply(reply);
        }
    }

    /**
     * Appends the payload (a text line) with one write(2) to the file named by the startup
     * property; also usable in the main process as an inline fallback on a given file.
     */
    public static final class AppendLine implements WorkerHandler {
        private FileChannel out;
        private Path gate;
        private long gateAt = -1;
        private long handled;

        public AppendLine() {
        }

        AppendLine(String path) throws IOException {
            out = new FileOutputStream(path, true).getChannel();
        }

        @Override
        public int id() {
            return APPEND_LINE;
        }

        @Override
        public void init(Map<String, String> properties) throws IOException {
            String path = properties.get(APPEND_FILE);
            if (path != null) {
                out = new FileOutputStream(path, true).getChannel();
            }
            if (properties.containsKey(GATE)) {
                gate = Path.of(properties.get(GATE));
                gateAt = Long.parseLong(properties.get(GATE_AT));
            }
        }

        @Override
        public void handle(WorkerRequest r) throws IOException, InterruptedException {
            if (handled++ == gateAt) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(gate) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
            ByteBuffer p = r.payload();
            while (p.hasRemaining()) {
                out.write(p);
            }
        }
    }

    /** Replies with the payload. */
    public static final class Echo implements WorkerHandler {
        @Override
        public int id() {
            return ECHO;
        }

        @Override
        public void handle(WorkerRequest r) {
            if (r.wantsReply()) {
                r.reply(r.payload());
            }
        }
    }

    /** Does nothing (benchmark). */
    public static final class Noop implements WorkerHandler {
        @Override
        public int id() {
            return NOOP;
        }

        @Override
        public void handle(WorkerRequest r) {
        }
    }

    /** Kills its worker process at once, every time: a poisonous request. */
    public static final class Crash implements WorkerHandler {
        @Override
        public int id() {
            return CRASH;
        }

        @Override
        public void handle(WorkerRequest r) {
            Runtime.getRuntime().halt(3);
        }
    }

    /** Writes junk into the worker's end of the channel (fd 0), as a corrupt worker would. */
    public static final class Rogue implements WorkerHandler {
        @Override
        public int id() {
            return ROGUE;
        }

        @Override
        public void handle(WorkerRequest r) {
            byte[] junk = new byte[64];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            Native.libc().write(0, junk, junk.length);
        }
    }

    /**
     * Breaks the reply rule as the payload's first byte says: 0 does not reply although asked, 1
     * replies twice, 2 replies although not asked.
     */
    public static final class BadReply implements WorkerHandler {
        @Override
        public int id() {
            return BAD_REPLY;
        }

        @Override
        public void handle(WorkerRequest r) {
            int mode = r.payload().get(r.payload().position());
            if (mode == 1) {
                r.reply(ByteBuffer.allocate(1));
                r.reply(ByteBuffer.allocate(1));
            } else if (mode == 2) {
                r.reply(ByteBuffer.allocate(1));
            }
        }
    }
}
