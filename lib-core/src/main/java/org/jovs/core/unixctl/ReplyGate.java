package org.jovs.core.unixctl;

/**
 * What unixctl replies wait for, so that a client never sees a reply before the effects the
 * command logged: the daemon's log lines reach the file through its worker, after the reply
 * would otherwise have gone out, and OVS's tests read the log right after a command. Set with
 * {@link UnixctlServer#setReplyGate}; main thread only.
 */
public interface ReplyGate {
    /** A mark for everything logged up to now; called as a reply is queued. */
    long mark();

    /** True once everything logged before 'mark' is written. */
    boolean passed(long mark);

    /**
     * At most how long from now, in real ms, 'passed' may need to be asked again while a reply
     * waits if nothing wakes the loop before (it may turn true by time alone).
     */
    default long recheckMsec() {
        return Long.MAX_VALUE;
    }
}
