package org.jovs.netlink;

import java.io.IOException;

/**
 * A netlink failure that is not a failed system call: a malformed message, a kernel error reply,
 * lost notifications, a transaction that timed out. Failed system calls are lib-core's
 * {@code NativeException}; both are IOExceptions.
 */
public class NlException extends IOException {
    private static final long serialVersionUID = 1L;

    public NlException(String message) {
        super(message);
    }
}
