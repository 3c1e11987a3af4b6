package org.jovs.core.unixctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jovs.core.json.Json;

/**
 * One JSON-RPC 1.0 message, classified and validated by the rules of OVS's jsonrpc.c, so that the
 * unixctl server accepts and rejects exactly what ovs-vswitchd does.
 *
 * <p>A member whose value is JSON null counts as absent. The type follows from which members are
 * present: "result" makes a reply, else "error" an error, else "id" a request, else a
 * notification. Each type then needs exactly its own members ("method", "params", "result",
 * "error", "id"), and "params", where present, must be an array. Pure logic, no I/O.
 * Public for the daemon's other JSON-RPC client, the OVSDB connection, and for our ovs-appctl,
 * which checks replies as OVS's client does.
 */
public final class JsonRpcMessage {
    public enum Type {
        REQUEST("request"), NOTIFY("notification"), REPLY("reply"), ERROR("error");

        private final String text;

        Type(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A message that is not valid JSON-RPC, with OVS's explanation. */
    public static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidException(String message) {
            super(message);
        }
    }

    public final Type type;
    public final String method;
    public final List<?> params;
    public final Object result;
    public final Object error;
    public final Object id;

    private JsonRpcMessage(Type type, String method, List<?> params, Object result, Object error, Object id) {
        this.type = type;
        this.method = method;
        this.params = params;
        this.result = result;
        this.error = error;
        this.id = id;
    }

    /** Classifies and validates the parsed JSON value 'json'. */
    public static JsonRpcMessage fromJson(Object json) throws InvalidException {
        if (!(json instanceof Map)) {
            throw new InvalidException("message is not a JSON object");
        }
        Map<?, ?> members = new LinkedHashMap<>((Map<?, ?>) json);
        boolean hasMethod = members.containsKey("method");
        Object method = members.remove("method");
        if (hasMethod && !(method instanceof String)) {
            throw new InvalidException("method is not a JSON string");
        }
        Object params = members.remove("params");
        Object result = members.remove("result");
        Object error = members.remove("error");
        Object id = members.remove("id");
        Type type = result != null ? Type.REPLY
                : error != null ? Type.ERROR
                : id != null ? Type.REQUEST
                : Type.NOTIFY;
        if (!members.isEmpty()) {
            throw new InvalidException("message has unexpected member \"" + members.keySet().iterator().next() + "\"");
        }
        if (params != null && !(params instanceof List)) {
            throw new InvalidException("\"params\" must be JSON array");
        }
        // Which members each type must have: method, params, result, error, id.
        boolean[] need = switch (type) {
        case REQUEST -> new boolean[] {true, true, false, false, true};
        case NOTIFY -> new boolean[] {true, true, false, false, false};
        case REPLY -> new boolean[] {false, false, true, false, true};
        case ERROR -> new boolean[] {false, false, false, true, true};
        };
        String[] names = {"method", "params", "result", "error", "id"};
        Object[] values = {method, params, result, error, id};
        for (int i = 0; i < names.length; i++) {
            if ((values[i] != null) != need[i]) {
                throw new InvalidException(type + " must" + (need[i] ? "" : " not") + " have \"" + names[i] + "\"");
            }
        }
        return new JsonRpcMessage(type, (String) method, (List<?>) params, result, error, id);
    }

    /**
     * The wire text of a reply to request 'id' carrying 'body' as its result, or as its error if
     * not 'success'. Like OVS 3.1, an error reply has no "result" member at all.
     */
    static String replyText(Object id, boolean success, String body) {
        Map<String, Object> reply = new LinkedHashMap<>();
        if (success) {
            reply.put("result", body);
        }
        reply.put("error", success ? null : body);
        reply.put("id", id);
        return Json.toString(reply);
    }

    /** The members of the message as jsonrpc.c's debug log shows them. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (method != null) {
            sb.append(", method=");
            Json.writeString(sb, method);
        }
        appendMember(sb, "params", params);
        appendMember(sb, "result", result);
        appendMember(sb, "error", error);
        appendMember(sb, "id", id);
        return sb.toString();
    }

    private static void appendMember(StringBuilder sb, String name, Object value) {
        if (value != null) {
            sb.append(", ").append(name).append('=');
            Json.write(sb, value);
        }
    }
}
