package org.jovs.worker;

/**
 * The byte stream between the main process and the worker cannot be a valid message sequence (bad
 * header, unknown handler, a protocol rule broken). Either end treats the channel as dead.
 */
final class CorruptChannelException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptChannelException(String message) {
        super(message);
    }
}
