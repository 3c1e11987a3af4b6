package org.jovs.core.unixctl;

/**
 * The client's side of one unixctl request, through which its handler replies exactly once:
 * {@link #reply} for success, {@link #replyError} for failure. A non-empty body that does not
 * end in a new line gets one, as OVS adds it; null counts as empty. A second reply is a
 * programming error ({@link IllegalStateException}).
 *
 * <p>The reply may be deferred: a handler may keep this object and reply from a later main-loop
 * iteration. Until then the connection reads no further requests. If the client has gone away or
 * the server has been closed meanwhile, the reply is dropped silently.
 *
 * <p><b>Note:</b> main thread only, like the server itself.
 */
public interface UnixctlConnection {
    void reply(String body);

    void replyError(String error);
}
