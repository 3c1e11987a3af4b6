package org.jovs.core.unixctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jovs.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** JSON-RPC classification and validation, with the explanations of OVS's jsonrpc.c. No sockets. */
class JsonRpcMessageTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            [1]                                                   | message is not a JSON object
            {"method":true,"params":[],"id":1}                    | method is not a JSON string
            {"method":null,"params":[],"id":1}                    | method is not a JSON string
            {"method":"a","params":[],"id":1,"x":1}               | message has unexpected member "x"
            {"method":"a","params":5,"id":1}                      | "params" must be JSON array
            {"method":"a","id":1}                                 | request must have "params"
            {"params":[],"id":1}                                  | request must have "method"
            {}                                                    | notification must have "method"
            {"method":"a"}                                        | notification must have "params"
            {"method":"a","params":[],"result":1,"id":1}          | reply must not have "method"
            {"result":1}                                          | reply must have "id"
            {"result":1,"error":"e","id":1}                       | reply must not have "error"
            {"error":"e"}                                         | error must have "id"
            {"params":[],"error":"e","id":1}                      | error must not have "params"
            """)
    void invalidMessagesAreExplainedAsOvsDoes(String json, String why) throws Exception {
        Object parsed = Json.parse(json);
        JsonRpcMessage.InvalidException e = assertThrows(JsonRpcMessage.InvalidException.class,
                () -> JsonRpcMessage.fromJson(parsed));
        assertEquals(why, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"method":"a","params":[],"id":1}                            | request
            {"method":"a","params":[],"id":1,"result":null,"error":null} | request
            {"method":"a","params":[],"id":null}                         | notification
            {"result":"r","error":null,"id":1}                           | reply
            {"result":null,"error":"e","id":1}                           | error
            """)
    void typeFollowsFromTheMembersPresent(String json, String type) throws Exception {
        assertEquals(type, JsonRpcMessage.fromJson(Json.parse(json)).type.toString());
    }

    @Test
    void repliesCarryTheRequestIdAndOvs31Members() throws Exception {
        Object id = Json.parse("{\"a\":[1,\"x\"]}");
        assertEquals("{\"result\":\"ok\\n\",\"error\":null,\"id\":{\"a\":[1,\"x\"]}}",
                JsonRpcMessage.replyText(id, true, "ok\n"));
        assertEquals("{\"error\":\"bad\\n\",\"id\":7}", JsonRpcMessage.replyText(7L, false, "bad\n"));
    }

    @Test
    void describeListsMembersAsTheDebugLogDoes() throws Exception {
        JsonRpcMessage m = JsonRpcMessage.fromJson(Json.parse("{\"method\":\"v\",\"params\":[\"x\"],\"id\":3}"));
        assertEquals(", method=\"v\", params=[\"x\"], id=3", m.describe());
    }
}
