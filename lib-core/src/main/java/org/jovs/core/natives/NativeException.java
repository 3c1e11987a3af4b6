package org.jovs.core.natives;

import java.io.IOException;

/** A failed system call: the call's name and the positive errno, with strerror text. */
public class NativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NativeException(String call, int errno) {
        super(call + " failed: " + Native.strerror(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
