package org.jovs.netlink;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

import org.jovs.core.natives.NativeException;

/**
 * One request/response {@link NlSocket} per netlink protocol, opened on first use in the calling
 * thread's network namespace, for code that runs batches for others: the worker's
 * {@link NlBatchHandler}, and {@link NlWorkerExecutor}'s fallback while no worker runs.
 *
 * <p>A socket whose system call failed is closed and opened afresh for the next batch, so one bad
 * moment does not poison the rest of the process's life. Kernel errors are not socket failures:
 * they travel in the replies. Calls block as long as {@link NlSocket#execute} does (bounded by its
 * timeout). Not thread-safe; the owner closes it.
 */
final class NlSockets implements Closeable {
    /** Netlink protocols are 0..31 (MAX_LINKS). */
    private static final int MAX_PROTOCOL = 31;

    private final NlSocket[] sockets = new NlSocket[MAX_PROTOCOL + 1];

    /** The socket for 'protocol', opened if needed. */
    NlSocket get(int protocol) throws NativeException {
        if (protocol < 0 || protocol > MAX_PROTOCOL) {
            throw new IllegalArgumentException("netlink protocol " + protocol + " out of range 0.." + MAX_PROTOCOL);
        }
        NlSocket s = sockets[protocol];
        if (s == null) {
            s = NlSocket.open(protocol);
            sockets[protocol] = s;
        }
        return s;
    }

    /** Runs 'requests' as transactions on the socket for 'protocol' ({@link NlExecutor#execute}). */
    List<byte[]> transact(int protocol, List<byte[]> requests) throws IOException {
        NlSocket s = get(protocol);
        try {
            return s.execute(requests);
        } catch (NativeException e) {
            discard(protocol);
            throw e;
        }
    }

    /** Runs 'request' as a dump on the socket for 'protocol' ({@link NlExecutor#executeDump}). */
    byte[] dump(int protocol, byte[] request) throws IOException {
        NlSocket s = get(protocol);
        try {
            return s.executeDump(request);
        } catch (NativeException e) {
            discard(protocol);
            throw e;
        }
    }

    /** An {@link NlExecutor} for 'protocol' that runs on these sockets (with their reopening). */
    NlExecutor executor(int protocol) {
        return new NlExecutor() {
            @Override
            public int protocol() {
                return protocol;
            }

            @Override
            public List<byte[]> execute(List<byte[]> requests) throws IOException {
                return NlSockets.this.transact(protocol, requests);
            }

            @Override
            public byte[] executeDump(byte[] request) throws IOException {
                return NlSockets.this.dump(protocol, request);
            }
        };
    }

    private void discard(int protocol) {
        sockets[protocol].close();
        sockets[protocol] = null;
    }

    @Override
    public void close() {
        for (int p = 0; p <= MAX_PROTOCOL; p++) {
            if (sockets[p] != null) {
                discard(p);
            }
        }
    }
}
