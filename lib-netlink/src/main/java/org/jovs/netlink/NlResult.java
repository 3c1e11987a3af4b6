package org.jovs.netlink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a batch submitted to {@link NlWorkerExecutor}: either the kernel's replies, in
 * the {@link NlExecutor} byte-array shape (one entry per request of a transaction batch, one entry
 * for a dump), or the local failure that prevented them (the worker died with the batch
 * outstanding, a system call or the timeout failed, the reply was too large for the channel).
 *
 * <p>Kernel errors are not failures here: they are inside the replies, and {@link #decode()} turns
 * each into its {@link NlReply#errno()}. Immutable.
 */
public final class NlResult {
    private final List<byte[]> replies;
    private final IOException failure;

    private NlResult(List<byte[]> replies, IOException failure) {
        this.replies = replies;
        this.failure = failure;
    }

    static NlResult of(List<byte[]> replies) {
        return new NlResult(List.copyOf(replies), null);
    }

    static NlResult failed(IOException failure) {
        return new NlResult(null, failure);
    }

    /** True if the batch ran and {@link #replies()} holds the kernel's answers. */
    public boolean ok() {
        return failure == null;
    }

    /** Why the batch has no replies, or null if {@link #ok()}. */
    public IOException failure() {
        return failure;
    }

    /** The raw replies, in request order; raises the failure if there are none. */
    public List<byte[]> replies() throws IOException {
        if (failure != null) {
            throw failure;
        }
        return replies;
    }

    /** The replies decoded, in request order; raises the failure, or a parse error. */
    public List<NlReply> decode() throws IOException {
        List<NlReply> out = new ArrayList<>();
        for (byte[] raw : replies()) {
            out.add(NlReply.decode(raw));
        }
        return out;
    }

    @Override
    public String toString() {
        return ok() ? "netlink result (" + replies.size() + " replies)"
                : "netlink result failed: " + failure.getMessage();
    }
}
