package org.jovs.vlog;

/**
 * A vlog error carrying OVS's exact text: a bad {@code -v} spec or syslog method at start-up
 * (print "PROGRAM: " + message and exit 1, as ovs_fatal() does), a log file that cannot be opened
 * (already logged as OVS logs it, so only exit 1), or the error reply of a {@code vlog/*} command.
 */
public final class VlogException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean logged;

    public VlogException(String message) {
        this(message, false);
    }

    VlogException(String message, boolean logged) {
        super(message);
        this.logged = logged;
    }

    /** True if vlog already logged this error, so the caller should not print it again. */
    public boolean alreadyLogged() {
        return logged;
    }
}
