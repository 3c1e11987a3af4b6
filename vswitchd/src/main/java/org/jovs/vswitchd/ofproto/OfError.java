package org.jovs.vswitchd.ofproto;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenFlow errors this switch sends, with how each is encoded in every version, and
 * {@link OfErrorException} to carry one out of a handler.
 *
 * <p>Each error has a type and code for OpenFlow 1.0 (-1 for none) and OVS's spec from its
 * ofp-errors table for the later versions, e.g. "NX1.1(1,514) OF1.2+(1,11)": per version range,
 * standard ("OF") or a vendor's ("NX" Nicira, "ONF") type and code (a vendor error from 1.2 on
 * has a type only). A version without an encoding gets
 * {@link #UNENCODABLE}, as OVS's NXBRC_UNENCODABLE_ERROR. How a vendor error goes on the wire is
 * {@link OfWire#error}'s business.
 */
enum OfError {
    HELLO_INCOMPATIBLE(0, 0, "OF1.1+(0,0)"),
    BAD_VERSION(1, 0, "OF1.1+(1,0)"),
    BAD_TYPE(1, 1, "OF1.1+(1,1)"),
    BAD_STAT(1, 2, "OF1.1+(1,2)"),
    BAD_VENDOR(1, 3, "OF1.1+(1,3)"),
    BAD_SUBTYPE(1, 4, "OF1.1+(1,4)"),
    BAD_REQUEST_EPERM(1, 5, "OF1.1+(1,5)"),
    BAD_LEN(1, 6, "OF1.1+(1,6)"),
    BUFFER_UNKNOWN(1, 8, "OF1.1+(1,8)"),
    BAD_TABLE_ID(1, 9, "OF1.1+(1,9)"),
    BAD_PORT(1, 11, "NX1.1(1,514) OF1.2+(1,11)"),
    BAD_ACTION_TYPE(2, 0, "OF1.1+(2,0)"),
    BAD_ACTION_LEN(2, 1, "OF1.1+(2,1)"),
    BAD_ACTION_VENDOR(2, 2, "OF1.1+(2,2)"),
    BAD_ACTION_VENDOR_TYPE(2, 3, "OF1.1+(2,3)"),
    BAD_OUT_PORT(2, 4, "OF1.1+(2,4)"),
    BAD_ACTION_ARGUMENT(2, 5, "OF1.1+(2,5)"),
    BAD_INSTRUCTION(1, 1, "OF1.1+(3,0)"),
    BAD_MATCH_FIELD(1, 4, "OF1.1+(4,6)"),
    BAD_MATCH_VALUE(-1, -1, "NX1.0(1,258) OF1.1+(4,7)"),
    BAD_MATCH_PREREQ(1, 4, "NX1.1(1,260) OF1.2+(4,9)"),
    FLOW_MOD_TABLE_FULL(3, 0, "OF1.1+(5,1)"),
    FLOW_MOD_OVERLAP(3, 1, "OF1.1+(5,3)"),
    FLOW_MOD_BAD_TABLE_ID(1, 9, "OF1.1+(5,2)"),
    FLOW_MOD_BAD_COMMAND(3, 4, "OF1.1+(5,6)"),
    PORT_MOD_BAD_PORT(4, 0, "OF1.1+(7,0)"),
    PORT_MOD_BAD_HW_ADDR(4, 1, "OF1.1+(7,1)"),
    // The bundle errors (OFPBFC_*): OpenFlow 1.4's, and the ONF extension's for 1.3.
    BUNDLE_BAD_ID(-1, -1, "ONF1.3(2302) OF1.4+(17,2)"),
    BUNDLE_CLOSED(-1, -1, "ONF1.3(2304) OF1.4+(17,4)"),
    BUNDLE_BAD_TYPE(-1, -1, "ONF1.3(2306) OF1.4+(17,6)"),
    BUNDLE_BAD_FLAGS(-1, -1, "ONF1.3(2307) OF1.4+(17,7)"),
    BUNDLE_MSG_BAD_LEN(-1, -1, "ONF1.3(2308) OF1.4+(17,8)"),
    BUNDLE_MSG_BAD_XID(-1, -1, "ONF1.3(2309) OF1.4+(17,9)"),
    BUNDLE_MSG_UNSUP(-1, -1, "ONF1.3(2310) OF1.4+(17,10)"),
    BUNDLE_MSG_FAILED(-1, -1, "ONF1.3(2313) OF1.4+(17,13)"),
    BUNDLE_TIMEOUT(-1, -1, "ONF1.3(2314) OF1.4+(17,14)"),
    /** The inner message of a BUNDLE_ADD_MESSAGE has another version than the outer one. */
    BUNDLE_BAD_VERSION(-1, -1, "NX1.4+(22)"),
    /** NXBRC_UNENCODABLE_ERROR: what goes out instead of an error a version cannot say. */
    UNENCODABLE(-1, -1, "NX1.0-1.1(1,521) NX1.2+(10)");

    /** A holder, as the constants are made before the enum's own static fields. */
    private static final class Spec {
        static final Pattern PATTERN =
                Pattern.compile("(OF|NX|ONF)1\\.(\\d)(?:-1\\.(\\d)|(\\+))?\\((\\d+)(?:,(\\d+))?\\)");
    }

    /** The encoding of one error in one version: vendor 0 for a standard error. */
    record Encoding(int vendor, int type, int code) {
    }

    /** By wire version; null where this error cannot be said. */
    private final Encoding[] encodings = new Encoding[OfWire.OF15 + 1];

    OfError(int type10, int code10, String spec) {
        if (type10 >= 0) {
            encodings[OfWire.OF10] = new Encoding(0, type10, code10);
        }
        Matcher m = Spec.PATTERN.matcher(spec);
        while (m.find()) {
            int vendor = switch (m.group(1)) {
            case "NX" -> OfWire.NX_VENDOR;
            case "ONF" -> OfWire.ONF_VENDOR;
            default -> 0;
            };
            int from = Integer.parseInt(m.group(2)) + 1;
            int to = m.group(4) != null ? OfWire.OF15 : m.group(3) != null ? Integer.parseInt(m.group(3)) + 1 : from;
            int type = Integer.parseInt(m.group(5));
            int code = m.group(6) != null ? Integer.parseInt(m.group(6)) : 0;
            for (int v = from; v <= to; v++) {
                encodings[v] = new Encoding(vendor, type, code);
            }
        }
    }

    /** How this error is said in wire 'version' (an unencodable one is said as {@link #UNENCODABLE}). */
    Encoding encoding(int version) {
        int v = version >= OfWire.OF10 && version <= OfWire.OF15 ? version : OfWire.OF10;
        return encodings[v] != null ? encodings[v] : UNENCODABLE.encodings[v];
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
