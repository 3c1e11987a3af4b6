package org.jovs.netlink;

/**
 * The socket's receive buffer overflowed (ENOBUFS): the kernel dropped messages meant for it. On a
 * notification socket the owner has lost events and must resynchronise its state, e.g. by a dump.
 */
public final class NlOverflowException extends NlException {
    private static final long serialVersionUID = 1L;

    public NlOverflowException() {
        super("netlink receive buffer overflowed: messages were lost");
    }
}
