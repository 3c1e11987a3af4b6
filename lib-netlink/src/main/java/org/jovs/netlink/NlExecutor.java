package org.jovs.netlink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Something that performs encoded netlink requests for one protocol and returns the encoded
 * replies, blocking until they are in: a local {@link NlSocket}. The main loop uses the same byte
 * arrays asynchronously through {@link NlWorkerExecutor}, whose worker runs them on its own socket
 * and sends back the reply byte arrays, with no netlink knowledge in the RPC layer.
 *
 * <p>The raw contract, in plain byte arrays so it can cross a process boundary:
 * <ul>
 * <li>{@link #execute}: each request is one complete netlink message (from
 * {@link NlMsgBuilder#toBytes()}). The executor stamps its own sequence number and port id and adds
 * NLM_F_ACK, sends the requests in as few send calls as it can, and returns, for each request in
 * order, every message the kernel sent back for it, concatenated, ending with the NLMSG_ERROR that
 * acknowledges it (error 0) or reports its failure.
 * <li>{@link #executeDump}: the request is sent with NLM_F_DUMP; the result is every message of
 * the dump, concatenated, ending with its NLMSG_DONE (or NLMSG_ERROR). An interrupted dump
 * (NLM_F_DUMP_INTR) is restarted by the executor, so the result is always consistent.
 * </ul>
 * Kernel errors travel inside the reply bytes; {@link NlReply#decode} turns them into an errno.
 * Only local failures (system calls, timeouts, lost replies) raise IOExceptions here.
 *
 * <p>The default methods are the typed layer over that contract.
 */
public interface NlExecutor {
    /** The netlink protocol the requests are for, e.g. {@link Netlink#NETLINK_ROUTE}. */
    int protocol();

    /** Performs 'requests' as transactions; see the class comment for the byte-array shape. */
    List<byte[]> execute(List<byte[]> requests) throws IOException;

    /** Performs 'request' as a dump; see the class comment for the byte-array shape. */
    byte[] executeDump(byte[] request) throws IOException;

    /**
     * Performs one transaction and returns its reply messages (none for requests that are only
     * acknowledged); a kernel error raises {@link NlKernelException}.
     */
    default List<NlMsg> transact(NlMsgBuilder request) throws IOException {
        return NlReply.decode(execute(List.of(request.toBytes())).get(0)).check();
    }

    /** Performs many transactions in batches; each outcome, error or not, is in its NlReply. */
    default List<NlReply> transactAll(List<NlMsgBuilder> requests) throws IOException {
        List<byte[]> encoded = new ArrayList<>(requests.size());
        for (NlMsgBuilder r : requests) {
            encoded.add(r.toBytes());
        }
        List<NlReply> replies = new ArrayList<>(requests.size());
        for (byte[] raw : execute(encoded)) {
            replies.add(NlReply.decode(raw));
        }
        return replies;
    }

    /** Performs a dump and returns its messages; a kernel error raises {@link NlKernelException}. */
    default List<NlMsg> dump(NlMsgBuilder request) throws IOException {
        return NlReply.decode(executeDump(request.toBytes())).check();
    }

    /** Decodes one data message of a dump; null means "skip this message". */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(NlMsg msg) throws NlParseException;
    }

    /**
     * Performs a dump and returns 'decoder''s results for its data messages, in order, nulls left
     * out. A kernel error raises {@link NlKernelException}, and otherwise the first parse error
     * raises. An executor may decode each message as it arrives, while it is still in the cache
     * (the socket does: a 1,000-link dump is 1.5 MB), handing 'decoder' a view of its receive
     * buffer; so 'decoder' must keep values, never the message or its attributes.
     */
    default <T> List<T> dump(NlMsgBuilder request, Decoder<T> decoder) throws IOException {
        List<T> out = new ArrayList<>();
        for (NlMsg m : dump(request)) {
            T t = decoder.decode(m);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }
}
