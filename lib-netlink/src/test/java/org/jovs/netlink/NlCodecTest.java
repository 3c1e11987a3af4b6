package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The message builder and parser on their own: layout, alignment, checked getters, error replies. */
class NlCodecTest {
    @Test
    void builderLaysOutHeadersAndPaddedAttributes() {
        byte[] msg = NlMsgBuilder.genl(0x15, Netlink.NLM_F_ACK, 7, 2)
                .putU8(1, 0xab)
                .putString(2, "abc")
                .putFlag(3)
                .toBytes();
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder());
        // nlmsghdr 16 + genlmsghdr 4 + u8 attr 8 + "abc\0" attr 8 + flag attr 4
        assertEquals(40, msg.length);
        assertEquals(40, b.getInt(0));
        assertEquals(0x15, b.getShort(4));
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, b.getShort(6));
        assertEquals(0, b.getInt(8), "sequence left to the executor");
        assertEquals(7, msg[16]);
        assertEquals(2, msg[17]);
        assertEquals(5, b.getShort(20), "nla_len counts the payload, not the padding");
        assertEquals(1, b.getShort(22));
        assertEquals((byte) 0xab, msg[24]);
        assertEquals(8, b.getShort(28));
        assertEquals('c', msg[34]);
        assertEquals(0, msg[35]);
        assertEquals(4, b.getShort(36));
        assertEquals(3, b.getShort(38));
    }

    @Test
    void nestedAttributesRoundTrip() throws Exception {
        NlMsgBuilder req = new NlMsgBuilder(16, 0).raw8(0).raw8(0).raw16(0).raw32(42).raw32(1).raw32(1);
        int outer = req.startNested(18);
        req.putString(1, "veth");
        int inner = req.startNested(2);
        req.putU32(4, 1500).putU16(5, 0xbeef).putU64(6, -2L).putBytes(7, new byte[] {1, 2, 3});
        req.endNested(inner).endNested(outer);
        NlMsg m = NlMsg.parse(req.toBytes());
        assertEquals(16, m.type());
        assertEquals(42, m.u32(4));
        NlAttrs a = m.attrs(16);
        assertEquals(1, a.size());
        NlAttr linkInfo = a.require(18);
        assertEquals(18, linkInfo.type(), "NLA_F_NESTED is masked off");
        NlAttrs info = linkInfo.nested();
        assertEquals("veth", info.string(1));
        NlAttrs data = info.nested(2);
        assertEquals(1500, data.u32(4));
        assertEquals(0xbeef, data.u16(5));
        assertEquals(-2L, data.u64(6));
        assertArrayEquals(new byte[] {1, 2, 3}, data.require(7).bytes());
        assertEquals(7, data.u32(99, 7), "absent attributes take the default");
        assertNull(data.optString(99));
        assertFalse(data.flag(99));
    }

    @Test
    void typedGettersCheckLengths() throws Exception {
        NlAttrs a = NlMsg.parse(new NlMsgBuilder(16, 0).putU16(1, 5).putBytes(2, new byte[] {'x'}).toBytes()).attrs(0);
        assertThrows(NlParseException.class, () -> a.u32(1));
        assertThrows(NlParseException.class, () -> a.u8(1));
        assertThrows(NlParseException.class, () -> a.flag(1));
        assertThrows(NlParseException.class, () -> a.string(2), "no NUL");
        assertThrows(NlParseException.class, () -> a.nested(2));
        assertThrows(NlParseException.class, () -> a.u32(3), "missing");
        assertEquals(5, a.u16(1));
    }

    @Test
    void lastAttributeOfATypeWinsAndAllAreIterable() throws Exception {
        NlAttrs a = NlMsg.parse(new NlMsgBuilder(16, 0).putU32(1, 10).putU32(2, 20).putU32(1, 30).toBytes()).attrs(0);
        assertEquals(30, a.u32(1));
        List<Integer> types = new ArrayList<>();
        a.forEach(x -> types.add(x.type()));
        assertEquals(List.of(1, 2, 1), types);
    }

    @Test
    void lookupsAgreeWithAndWithoutTheTypeIndex() throws Exception {
        // Four or more attributes with small types are indexed; a large type disables the index.
        for (int big : new int[] {7, 300}) {
            NlAttrs a = NlMsg.parse(new NlMsgBuilder(16, 0).putU32(1, 10).putU32(2, 20).putU32(1, 30)
                    .putU32(big, 40).putU32(2, 50).toBytes()).attrs(0);
            assertEquals(30, a.u32(1), "big type " + big);
            assertEquals(50, a.u32(2));
            assertEquals(40, a.u32(big));
            assertEquals(null, a.get(3));
            assertEquals(null, a.get(1000));
            assertEquals(null, a.get(-1));
            assertEquals(5, a.size());
        }
    }

    @Test
    void concatenatedMessagesArePaddedSoTheyParseBack() throws Exception {
        // nlmsg_len 21 is not a multiple of 4: the next message must start 3 bytes later.
        byte[] odd = new NlMsgBuilder(16, 0).rawBytes(new byte[] {1, 2, 3, 4, 5}).toBytes();
        java.nio.ByteBuffer.wrap(odd).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 21);
        List<NlMsg> msgs = List.of(NlMsg.parseAll(odd).get(0), NlMsg.parse(new NlMsgBuilder(17, 0).toBytes()));
        List<NlMsg> back = NlMsg.parseAll(NlMsg.concat(msgs));
        assertEquals(List.of(16, 17), List.of(back.get(0).type(), back.get(1).type()));
        assertEquals(21, back.get(0).length());
    }

    @Test
    void truncationAndBadLengthsAreParseErrors() throws Exception {
        byte[] good = new NlMsgBuilder(16, 0).putU32(1, 10).putString(2, "name").toBytes();
        for (int len = 1; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThrows(NlParseException.class, () -> NlMsg.parseAll(cut).get(0).attrs(0), "cut at " + len);
        }
        byte[] badNla = good.clone();
        badNla[16] = 3; // nla_len below the attribute header
        assertThrows(NlParseException.class, () -> NlMsg.parse(badNla).attrs(0));
        byte[] badMsg = good.clone();
        badMsg[0] = 8; // nlmsg_len below the message header
        assertThrows(NlParseException.class, () -> NlMsg.parseAll(badMsg));
        assertThrows(NlParseException.class, () -> NlMsg.parse(new byte[0]));
    }

    @Test
    void multipleMessagesSplitOnAlignedBoundaries() throws Exception {
        byte[] a = new NlMsgBuilder(16, 0).putU8(1, 1).toBytes();
        byte[] b = new NlMsgBuilder(17, 0).putString(3, "xy").toBytes();
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        List<NlMsg> msgs = NlMsg.parseAll(both);
        assertEquals(2, msgs.size());
        assertEquals(17, msgs.get(1).type());
        assertEquals("xy", msgs.get(1).attrs(0).string(3));
    }

    @Test
    void errorReplyCarriesErrnoAndExtendedAck() throws Exception {
        byte[] request = new NlMsgBuilder(16, 0).raw32(0).toBytes();
        // What the kernel sends with NETLINK_EXT_ACK: the error, the echoed request, then TLVs.
        NlMsgBuilder err = new NlMsgBuilder(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS).raw32(-22).rawBytes(request)
                .putString(Netlink.NLMSGERR_ATTR_MSG, "mtu less than device minimum");
        NlReply reply = NlReply.decode(err.toBytes());
        assertEquals(22, reply.errno());
        assertEquals("mtu less than device minimum", reply.extAck());
        NlKernelException e = assertThrows(NlKernelException.class, reply::check);
        assertEquals(22, e.errno());
        assertEquals("Invalid argument (mtu less than device minimum)", e.getMessage());

        NlMsgBuilder ack = new NlMsgBuilder(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED).raw32(0)
                .rawBytes(java.util.Arrays.copyOf(request, Netlink.NLMSG_HDRLEN));
        assertEquals(0, NlReply.decode(ack.toBytes()).errno());
        assertTrue(NlReply.decode(ack.toBytes()).check().isEmpty());
    }

    @Test
    void dumpEndingInAnErrorReportsIt() throws Exception {
        byte[] data = new NlMsgBuilder(16, Netlink.NLM_F_MULTI).raw32(0).toBytes();
        byte[] done = new NlMsgBuilder(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI).raw32(-95).toBytes();
        byte[] raw = new byte[data.length + done.length];
        System.arraycopy(data, 0, raw, 0, data.length);
        System.arraycopy(done, 0, raw, data.length, done.length);
        NlReply reply = NlReply.decode(raw);
        assertEquals(95, reply.errno());
        assertEquals(1, reply.messages().size());
        byte[] okDone = new NlMsgBuilder(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI).raw32(0).toBytes();
        assertEquals(0, NlReply.decode(okDone).errno());
    }
}
