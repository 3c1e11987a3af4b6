package org.jovs.vswitchd.odp;

/**
 * A datapath flow string OVS would refuse, with the message OVS gives for it: "syntax error at
 * ..." from the parser ({@link OdpFlowParser}), or the decoder's complaint followed by "; the
 * flow key in error is: ..." ({@link OdpFlowDecoder}).
 */
public final class OdpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public OdpParseException(String message) {
        super(message);
    }
}
