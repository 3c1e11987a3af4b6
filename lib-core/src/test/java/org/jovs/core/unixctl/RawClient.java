package org.jovs.core.unixctl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jovs.core.json.JsonException;
import org.jovs.core.json.JsonStreamParser;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A plain blocking Unix socket client (junixsocket, independent of the server's code) that writes
 * arbitrary bytes and reads JSON replies, for feeding the server what ovs-appctl never would.
 */
public final class RawClient implements AutoCloseable {
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[4096];
    private int bufStart;
    private int bufEnd;

    public RawClient(String path) throws IOException {
        socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new File(path)));
        socket.setSoTimeout(3_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Half-closes: the server reads end of file, but we can still read its answer. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** True if reply bytes can be read without blocking. */
    public boolean available() throws IOException {
        return bufStart != bufEnd || in.available() > 0;
    }

    /** Reads one JSON reply object; fails if the server closes the connection or times out. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> readReply() throws IOException, JsonException {
        JsonStreamParser parser = new JsonStreamParser(64 << 20);
        for (;;) {
            if (bufStart == bufEnd) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("server closed the connection");
                }
                bufStart = 0;
                bufEnd = n;
            }
            bufStart += parser.feed(buf, bufStart, bufEnd - bufStart);
            if (parser.error() != null) {
                throw new JsonException(parser.error());
            }
            if (parser.isDone()) {
                return (Map<String, Object>) parser.finish();
            }
        }
    }

    /**
     * True if the server closed the connection (end of file or reset) with nothing more sent;
     * false if it stays open until the timeout. Bytes received instead fail the assertion.
     */
    public boolean isClosedByServer() throws IOException {
        if (bufStart != bufEnd) {
            throw new AssertionError("unexpected data from server");
        }
        try {
            int n = in.read(buf);
            if (n > 0) {
                throw new AssertionError("unexpected data from server: "
                        + new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return n < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // ECONNRESET: the server closed with our unread request bytes still queued.
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
