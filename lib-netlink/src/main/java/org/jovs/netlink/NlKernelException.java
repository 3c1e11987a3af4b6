package org.jovs.netlink;

import org.jovs.core.natives.Native;

/**
 * The kernel answered a request with an error (an NLMSG_ERROR reply carrying a negative errno, or
 * a dump that ended with one). Carries the positive errno and, where the kernel supplied one, the
 * extended-ack text, e.g. "Unknown device type".
 */
public final class NlKernelException extends NlException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String extAck;

    public NlKernelException(int errno, String extAck) {
        super(Native.strerror(errno) + (extAck != null && !extAck.isEmpty() ? " (" + extAck + ")" : ""));
        this.errno = errno;
        this.extAck = extAck;
    }

    /** The positive errno value, e.g. 17 for EEXIST. */
    public int errno() {
        return errno;
    }

    /** The kernel's extended-ack message, or null. */
    public String extAck() {
        return extAck;
    }
}
