package org.jovs.vswitchd.odp;

import java.util.ArrayList;
import java.util.List;

/**
 * The packets of an {@code ovs-appctl netdev-dummy/receive PORT [--qid N] PACKET...} command,
 * read as OVS's netdev_dummy_receive() reads them: each PACKET is a frame in hex
 * ({@link EthHex}) or else a datapath flow ({@link OdpFlowParser}, {@link OdpFlowDecoder},
 * {@link PacketComposer}), which may be followed by "--len N" to make its frame N bytes long.
 *
 * <p>As in OVS, packets are taken in order and the first bad one stops the command: the packets
 * before it are still to be received, and the reply is an error with OVS's text ("too small
 * packet len" for a --len under 60 or not a number, the parser's or decoder's message for a bad
 * flow, an empty message for a flow whose frame is longer than its --len, "bad rx queue id." for
 * a --qid out of range). The reply text is given without the newline that OVS's unixctl layer
 * appends. A "--len" after a hex frame is not taken as an option but as the next packet (and
 * fails as a flow). "--len" as the last argument reads as a length of 0 here; OVS passes the
 * null that ends its argument list to strtol() and crashes.
 */
public final class DummyPacket {
    /** Ethernet frames shorter than this are padded on the wire: --len must reach it. */
    private static final int ETH_TOTAL_MIN = 60;

    /**
     * One packet to receive: its frame and, for a flow, what the flow said ({@code in_port},
     * skb_mark and the other metadata are in 'flow'; OVS uses them only to match offloaded
     * flows, the receiving port being the one named in the command). 'flow' is null for a hex
     * frame, whose fields the caller extracts from the frame as OVS does.
     */
    public record Packet(byte[] frame, OdpFlow flow) {}

    /**
     * The packets read before the end or the first error, the receive queue (--qid, else 0),
     * and the error reply, null if none.
     */
    public record Result(List<Packet> packets, int rxQueue, String error) {}

    private DummyPacket() {}

    /**
     * Reads args[from...] (what follows the port name). 'rxQueues' is the port's number of
     * receive queues, for --qid; 'vlanLimit' is other_config:vlan-limit (OVS's default is 1).
     */
    public static Result parse(String[] args, int from, int rxQueues, int vlanLimit) {
        List<Packet> packets = new ArrayList<>();
        int k = from;
        int qid = 0;
        if (args.length > k + 1 && args[k].equals("--qid")) {
            qid = strtol(args[k + 1]);
            if (qid < 0 || qid >= rxQueues) {
                return new Result(packets, 0, "bad rx queue id.");
            }
            k += 2;
        }
        for (int i = k; i < args.length; i++) {
            byte[] frame = EthHex.parse(args[i]);
            if (frame != null) {
                packets.add(new Packet(frame, null));
                continue;
            }
            String flowText = args[i];
            int size = 0;
            if (i + 1 < args.length && args[i + 1].equals("--len")) {
                size = i + 2 < args.length ? strtol(args[i + 2]) : 0;
                if (size < ETH_TOTAL_MIN) {
                    return new Result(packets, qid, "too small packet len");
                }
                i += 2;
            }
            try {
                OdpFlow flow = OdpFlowDecoder.decode(OdpFlowParser.parse(flowText), vlanLimit)
                        .flow();
                frame = PacketComposer.compose(flow, size);
                if (frame == null) {
                    return new Result(packets, qid, "");
                }
                packets.add(new Packet(frame, flow));
            } catch (OdpParseException e) {
                return new Result(packets, qid, e.getMessage());
            }
        }
        return new Result(packets, qid, null);
    }

    /**
     * C's strtol(s, NULL, 10) stored in an int: leading blanks, a sign, decimal digits up to the
     * first other character (0 if none), clamped to 64 bits, then the low 32 bits.
     */
    static int strtol(String s) {
        Cursor c = new Cursor(s, 0);
        c.skipSpaces();
        boolean negative = c.peek() == '-';
        if (negative || c.peek() == '+') {
            c.pos++;
        }
        long v = 0;
        boolean overflow = false;
        for (char ch; (ch = c.peek()) >= '0' && ch <= '9'; c.pos++) {
            if (v > (Long.MAX_VALUE - (ch - '0')) / 10) {
                overflow = true;
            } else {
                v = v * 10 + (ch - '0');
            }
        }
        if (overflow) {
            v = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        } else if (negative) {
            v = -v;
        }
        return (int) v;
    }
}
