package org.jovs.netlink;

/**
 * A truncated or malformed netlink message or attribute. It is the only exception the parsing
 * code raises on bad input, whatever the bytes: never an index, underflow or size error.
 */
public final class NlParseException extends NlException {
    private static final long serialVersionUID = 1L;

    public NlParseException(String message) {
        super(message);
    }
}
