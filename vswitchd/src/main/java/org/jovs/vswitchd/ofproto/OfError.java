package org.jovs.vswitchd.ofproto;

/**
 * The OpenFlow errors this switch sends, with their type and code in OpenFlow 1.0 and in 1.3
 * (OVS's ofp-errors table), and {@link OfErrorException} to carry one out of a handler.
 */
enum OfError {
    HELLO_INCOMPATIBLE(0, 0, 0, 0),
    BAD_VERSION(1, 0, 1, 0),
    BAD_TYPE(1, 1, 1, 1),
    BAD_STAT(1, 2, 1, 2),
    BAD_VENDOR(1, 3, 1, 3),
    BAD_SUBTYPE(1, 4, 1, 4),
    BAD_REQUEST_EPERM(1, 5, 1, 5),
    BAD_LEN(1, 6, 1, 6),
    BUFFER_UNKNOWN(1, 8, 1, 8),
    BAD_TABLE_ID(1, 9, 1, 9),
    BAD_PORT(1, 11, 1, 11),
    BAD_ACTION_TYPE(2, 0, 2, 0),
    BAD_ACTION_LEN(2, 1, 2, 1),
    BAD_ACTION_VENDOR(2, 2, 2, 2),
    BAD_ACTION_VENDOR_TYPE(2, 3, 2, 3),
    BAD_OUT_PORT(2, 4, 2, 4),
    BAD_ACTION_ARGUMENT(2, 5, 2, 5),
    BAD_INSTRUCTION(1, 1, 3, 0),
    BAD_MATCH_FIELD(1, 4, 4, 6),
    BAD_MATCH_PREREQ(1, 4, 4, 9),
    FLOW_MOD_TABLE_FULL(3, 0, 5, 1),
    FLOW_MOD_OVERLAP(3, 1, 5, 3),
    FLOW_MOD_BAD_TABLE_ID(1, 9, 5, 2),
    FLOW_MOD_BAD_COMMAND(3, 4, 5, 6),
    PORT_MOD_BAD_PORT(4, 0, 7, 0),
    PORT_MOD_BAD_HW_ADDR(4, 1, 7, 1);

    private final int type10;
    private final int code10;
    private final int type13;
    private final int code13;

    OfError(int type10, int code10, int type13, int code13) {
        this.type10 = type10;
        this.code10 = code10;
        this.type13 = type13;
        this.code13 = code13;
    }

    int type(int version) {
        return version == OfWire.OF10 ? type10 : type13;
    }

    int code(int version) {
        return version == OfWire.OF10 ? code10 : code13;
    }

    /** Thrown by message handlers; the connection answers it with OFPT_ERROR. */
    static final class OfErrorException extends Exception {
        private static final long serialVersionUID = 1L;
        final OfError error;

        OfErrorException(OfError error, String why) {
            super(why, null, false, false);
            this.error = error;
        }
    }

    OfErrorException exception(String why) {
        return new OfErrorException(this, why);
    }
}
