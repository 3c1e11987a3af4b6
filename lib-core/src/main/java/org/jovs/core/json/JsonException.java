package org.jovs.core.json;

/** Malformed JSON text, with a message that says where and why. */
public class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
