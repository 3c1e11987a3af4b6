package org.jovs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the parsers with mutated and truncated copies of real kernel replies: link and address
 * dumps, link notifications, nlctrl family dumps, ethtool string sets, features and link modes, and
 * error acks with extended-ack text, all captured in a private namespace by running the real API
 * through a recording executor. Whatever the bytes, decoding may only raise NlParseException; and
 * every genuine capture still decodes.
 */
class ParserFuzzTest {
    private static final int ITERATIONS = 100_000;

    /** One captured kernel reply (one or more messages) and the protocol it came on. */
    private record Sample(int protocol, byte[] bytes) {
    }

    /** Passes requests to a real socket and keeps a copy of every reply. */
    private static final class RecordingExecutor implements NlExecutor {
        private final NlSocket sock;
        private final List<Sample> samples;

        RecordingExecutor(NlSocket sock, List<Sample> samples) {
            this.sock = sock;
            this.samples = samples;
        }

        @Override
        public int protocol() {
            return sock.protocol();
        }

        @Override
        public List<byte[]> execute(List<byte[]> requests) throws IOException {
            List<byte[]> replies = sock.execute(requests);
            for (byte[] r : replies) {
                samples.add(new Sample(protocol(), r));
            }
            return replies;
        }

        @Override
        public byte[] executeDump(byte[] request) throws IOException {
            byte[] reply = sock.executeDump(request);
            samples.add(new Sample(protocol(), reply));
            return reply;
        }
    }

    private static final List<Sample> SAMPLES = new ArrayList<>();
    private static List<String> featureNames;
    private static int ethtoolId;
    private static TestNamespace ns;

    @BeforeAll
    static void capture() throws Exception {
        ns = new TestNamespace();
        ns.ip("link", "add", "fz0", "type", "veth", "peer", "name", "fz1");
        ns.ip("addr", "add", "198.51.100.7/24", "dev", "fz0");
        ns.ip("link", "set", "fz0", "up");
        try (NlSocket route = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
                NlSocket genl = ns.call(() -> NlSocket.open(Netlink.NETLINK_GENERIC));
                NlSocket listener = ns.call(() -> NlSocket.open(Netlink.NETLINK_ROUTE));
                Tap tap = ns.call(() -> Tap.create("fzt0"))) {
            listener.joinGroup(Rtnetlink.RTNLGRP_LINK);
            Rtnetlink rtnl = new Rtnetlink(new RecordingExecutor(route, SAMPLES));
            RecordingExecutor genlRec = new RecordingExecutor(genl, SAMPLES);
            GenlFamilies families = new GenlFamilies(genlRec);
            try (Ethtool ethtool = ns.call(() -> new Ethtool(genlRec, families))) {
                rtnl.dumpLinks();
                rtnl.dumpAddrs();
                int fz0 = rtnl.getLink("fz0").orElseThrow().ifindex();
                rtnl.setUp(rtnl.getLink("fz1").orElseThrow().ifindex(), true);
                expectError(() -> rtnl.createVeth("fz0", "fz9"));
                expectError(() -> rtnl.setMtu(fz0, 10));
                rtnl.rename(fz0, "fz0r");
                rtnl.deleteLink(fz0);
                families.dump();
                ethtoolId = families.lookup("ethtool").orElseThrow().id();
                families.lookup("jovs_nofamily");
                ethtool.features("fzt0");
                ethtool.linkModes("fzt0");
                ethtool.features("lo");
                expectError(() -> ethtool.features("nosuch0"));
            }
            for (List<NlMsg> msgs = listener.receive(); !msgs.isEmpty(); msgs = listener.receive()) {
                for (NlMsg m : msgs) {
                    SAMPLES.add(new Sample(Netlink.NETLINK_ROUTE, m.bytes()));
                }
            }
        }
        for (Sample s : SAMPLES) {
            for (NlMsg m : NlReply.decode(s.bytes()).messages()) {
                if (s.protocol() == Netlink.NETLINK_GENERIC && m.type() == ethtoolId && m.genlCmd() == 1) {
                    featureNames = Ethtool.parseStringSet(m, 4);
                }
            }
        }
        // Long dumps are fuzzed message by message, so that mutations hit each message more often.
        for (Sample s : List.copyOf(SAMPLES)) {
            List<NlMsg> msgs = NlMsg.parseAll(s.bytes());
            if (msgs.size() > 1) {
                for (NlMsg m : msgs) {
                    SAMPLES.add(new Sample(s.protocol(), m.bytes()));
                }
                if (s.bytes().length > 4096) {
                    SAMPLES.remove(s);
                }
            }
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void expectError(Call call) throws Exception {
        try {
            call.run();
            fail("expected a kernel error");
        } catch (NlKernelException e) {
            // The error reply itself is what we wanted to capture.
        }
    }

    @Test
    void genuineRepliesDecode() throws Exception {
        int links = 0;
        int families = 0;
        int ethtool = 0;
        int errors = 0;
        for (Sample s : SAMPLES) {
            NlReply reply = NlReply.decode(s.bytes());
            errors += reply.errno() != 0 ? 1 : 0;
            for (NlMsg m : reply.messages()) {
                Object decoded = decode(s.protocol(), m);
                links += decoded instanceof RtLink ? 1 : 0;
                families += decoded instanceof GenlFamily ? 1 : 0;
                ethtool += decoded instanceof EthtoolFeatures || decoded instanceof Ethtool.LinkModes ? 1 : 0;
            }
        }
        assertTrue(links >= 10, "links decoded: " + links);
        assertTrue(families >= 10, "families decoded: " + families);
        assertEquals(6, ethtool, "features and link modes, each in a reply and as a single message");
        assertTrue(errors >= 4, "error replies: " + errors);
        assertTrue(featureNames != null && featureNames.contains("rx-gro"), "feature names captured");
    }

    @Test
    void mutatedRepliesRaiseOnlyParseExceptions() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Sample s = SAMPLES.get(random.nextInt(SAMPLES.size()));
            byte[] mutated = s.bytes();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                mutated = mutate(mutated, random);
            }
            try {
                decodeDeep(s.protocol(), mutated);
            } catch (NlParseException e) {
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + ", iteration " + i + ": " + t + " for "
                        + HexFormat.of().formatHex(mutated), t);
            }
        }
        // Both outcomes must be common, or the mutations are not exercising the parser.
        assertTrue(rejected > ITERATIONS / 20 && rejected < ITERATIONS * 19 / 20, "rejected " + rejected);
        genuineRepliesDecode();
    }

    /** Decodes everything the way the daemon would, then walks the top-level attributes. */
    private static void decodeDeep(int protocol, byte[] bytes) throws NlParseException {
        for (NlMsg m : NlReply.decode(bytes).messages()) {
            decode(protocol, m);
            try {
                walk(m.attrs(protocol == Netlink.NETLINK_GENERIC ? Netlink.GENL_HDRLEN : RtLink.IFINFOMSG_SIZE));
            } catch (NlParseException e) {
                // Not every message has that header; the typed decoder above covers it anyway.
            }
        }
    }

    /** Every top-level attribute, read raw and, where its payload allows, as nested attributes. */
    private static void walk(NlAttrs attrs) {
        for (NlAttr a : attrs) {
            a.bytes();
            try {
                a.nested().size();
            } catch (NlParseException e) {
                // Not nested.
            }
        }
    }

    /** The typed decoder for a message of this kind, as the library's callers use them. */
    private static Object decode(int protocol, NlMsg m) throws NlParseException {
        if (protocol == Netlink.NETLINK_ROUTE) {
            switch (m.type()) {
            case Rtnetlink.RTM_NEWLINK:
            case Rtnetlink.RTM_DELLINK:
                RtLink.isIrrelevant(m);
                return RtLink.parse(m);
            case Rtnetlink.RTM_NEWADDR:
                return RtAddr.parse(m);
            default:
                return null;
            }
        }
        if (m.type() == Netlink.GENL_ID_CTRL) {
            return GenlFamily.parse(m);
        }
        if (m.type() == ethtoolId) {
            switch (m.genlCmd()) {
            case 1:
                return Ethtool.parseStringSet(m, 4);
            case 4:
                return Ethtool.parseLinkModes(m);
            case 11:
                EthtoolFeatures features = Ethtool.parseFeatures(m, featureNames);
                features.listing();
                return features;
            default:
                return null;
            }
        }
        return null;
    }

    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 20, 0x7fff, 0x8000, 0xffff};

    /**
     * One random mutation: truncation, bit flips, bad lengths, removed or repeated ranges, garbage.
     * Half the time nlmsg_len is then made to agree with the new size, so that the damage reaches
     * the attribute parsers instead of being caught by the first length check.
     */
    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = mutateBytes(in, r);
        if (b.length >= Netlink.NLMSG_HDRLEN && r.nextBoolean()) {
            ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(0, b.length);
        }
        return b;
    }

    private static byte[] mutateBytes(byte[] in, Random r) {
        if (in.length == 0) {
            return new byte[] {(byte) r.nextInt()};
        }
        byte[] b = in.clone();
        switch (r.nextInt(8)) {
        case 0:
            return Arrays.copyOf(in, r.nextInt(in.length));
        case 1:
            for (int n = 1 + r.nextInt(4); n > 0; n--) {
                int pos = r.nextInt(b.length);
                b[pos] ^= (byte) (1 << r.nextInt(8));
            }
            return b;
        case 2:
            for (int n = 1 + r.nextInt(4); n > 0; n--) {
                b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? r.nextInt() : r.nextBoolean() ? 0 : 0xff);
            }
            return b;
        case 3: {
            // A 16-bit field at an attribute-aligned offset: nla_len or nla_type, most likely.
            int pos = (r.nextInt(b.length) & ~3) + (r.nextInt(4) == 0 ? 2 : 0);
            int v = r.nextInt(3) == 0 ? r.nextInt(0x10000) : INTERESTING[r.nextInt(INTERESTING.length)];
            if (pos + 1 < b.length) {
                b[pos] = (byte) v;
                b[pos + 1] = (byte) (v >> 8);
            }
            return b;
        }
        case 4: {
            // nlmsg_len of the first message.
            int v = r.nextBoolean() ? r.nextInt() : INTERESTING[r.nextInt(INTERESTING.length)] + r.nextInt(3) - 1;
            for (int k = 0; k < 4 && k < b.length; k++) {
                b[k] = (byte) (v >> (8 * k));
            }
            return b;
        }
        case 5: {
            int from = r.nextInt(b.length);
            int to = from + r.nextInt(Math.min(64, b.length - from) + 1);
            byte[] out = new byte[b.length - (to - from)];
            System.arraycopy(b, 0, out, 0, from);
            System.arraycopy(b, to, out, from, b.length - to);
            return out;
        }
        case 6: {
            int from = r.nextInt(b.length);
            int len = r.nextInt(Math.min(64, b.length - from) + 1);
            byte[] out = new byte[b.length + len];
            System.arraycopy(b, 0, out, 0, from + len);
            System.arraycopy(b, from, out, from + len, b.length - from);
            return out;
        }
        default: {
            byte[] out = Arrays.copyOf(b, b.length + 1 + r.nextInt(16));
            for (int k = b.length; k < out.length; k++) {
                out[k] = (byte) r.nextInt();
            }
            return out;
        }
        }
    }
}
