package org.jovs.core.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream that carries JSON objects or arrays back to back, with no framing (the
 * JSON-RPC wire format of OVS's unixctl and OVSDB), into complete values.
 *
 * <p>{@link #feed} consumes bytes up to the end of one top-level value and reports how many it
 * took; when {@link #isDone()} is true, {@link #finish()} parses and returns that value and makes
 * the parser ready for the next one. A value larger than the size limit, a top-level value that is
 * not an object or array, or invalid UTF-8 is an error; after an error the stream is unusable,
 * since the framing is lost.
 */
public final class JsonStreamParser {
    private final long maxBytes;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private int depth;
    private boolean inString;
    private boolean escaped;
    private boolean done;
    private String error;

    /** A parser that refuses any single value over 'maxBytes' bytes. */
    public JsonStreamParser(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Consumes bytes from 'b[off, off+len)' up to the end of the current value. Returns the number
     * of bytes consumed. Stops early when a value is complete or an error was found.
     */
    public int feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !done && error == null) {
            byte c = b[i++];
            if (depth == 0) {
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                if (c != '{' && c != '[') {
                    error = "syntax error: JSON-RPC message must be an object or array, not starting with '"
                            + (c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xff))
                            + "'";
                    break;
                }
            }
            buf.write(c);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > Json.MAX_DEPTH) {
                    error = "input exceeds maximum nesting depth " + Json.MAX_DEPTH;
                }
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    done = true;
                }
            }
            if (buf.size() > maxBytes) {
                error = "input exceeds maximum message size of " + maxBytes + " bytes";
            }
        }
        return i - off;
    }

    /** True once a complete top-level value has been fed. */
    public boolean isDone() {
        return done;
    }

    /** The framing error found so far, or null. */
    public String error() {
        return error;
    }

    /** True if some bytes of an unfinished value are buffered. */
    public boolean hasPartialValue() {
        return buf.size() > 0 && !done;
    }

    /** Parses the completed value and resets for the next one. */
    public Object finish() throws JsonException {
        if (error != null) {
            throw new JsonException(error);
        }
        if (!done) {
            throw new JsonException("unexpected end of input");
        }
        byte[] bytes = buf.toByteArray();
        buf.reset();
        done = false;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("invalid UTF-8 in JSON input");
        }
        return Json.parse(text);
    }
}
