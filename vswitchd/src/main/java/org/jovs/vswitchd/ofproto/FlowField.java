package org.jovs.vswitchd.ofproto;

import java.util.function.ToLongFunction;

import org.jovs.vswitchd.flow.FlowKey;

/**
 * The matchable fields of a {@link FlowKey}, each read and written as an unsigned long of
 * 'bits' bits, so that matching, comparing and encoding treat every field alike. IPv6 addresses
 * are two fields each (high and low 64 bits). Pure logic.
 */
enum FlowField {
    IN_PORT(16, k -> k.inPort, (k, v) -> k.inPort = (int) v),
    DL_SRC(48, k -> k.dlSrc, (k, v) -> k.dlSrc = v),
    DL_DST(48, k -> k.dlDst, (k, v) -> k.dlDst = v),
    DL_TYPE(16, k -> k.dlType, (k, v) -> k.dlType = (int) v),
    VLAN_TCI(16, k -> k.vlanTci, (k, v) -> k.vlanTci = (int) v),
    NW_SRC(32, k -> k.nwSrc & 0xffffffffL, (k, v) -> k.nwSrc = (int) v),
    NW_DST(32, k -> k.nwDst & 0xffffffffL, (k, v) -> k.nwDst = (int) v),
    NW_PROTO(8, k -> k.nwProto, (k, v) -> k.nwProto = (int) v),
    NW_TOS(8, k -> k.nwTos, (k, v) -> k.nwTos = (int) v),
    NW_TTL(8, k -> k.nwTtl, (k, v) -> k.nwTtl = (int) v),
    NW_FRAG(8, k -> k.nwFrag, (k, v) -> k.nwFrag = (int) v),
    IPV6_SRC_HI(64, k -> k.ipv6SrcHi, (k, v) -> k.ipv6SrcHi = v),
    IPV6_SRC_LO(64, k -> k.ipv6SrcLo, (k, v) -> k.ipv6SrcLo = v),
    IPV6_DST_HI(64, k -> k.ipv6DstHi, (k, v) -> k.ipv6DstHi = v),
    IPV6_DST_LO(64, k -> k.ipv6DstLo, (k, v) -> k.ipv6DstLo = v),
    TP_SRC(16, k -> k.tpSrc, (k, v) -> k.tpSrc = (int) v),
    TP_DST(16, k -> k.tpDst, (k, v) -> k.tpDst = (int) v),
    TCP_FLAGS(12, k -> k.tcpFlags, (k, v) -> k.tcpFlags = (int) v),
    ARP_SHA(48, k -> k.arpSha, (k, v) -> k.arpSha = v),
    ARP_THA(48, k -> k.arpTha, (k, v) -> k.arpTha = v),
    METADATA(64, k -> k.metadata, (k, v) -> k.metadata = v),
    REG0(0), REG1(1), REG2(2), REG3(3), REG4(4), REG5(5), REG6(6), REG7(7),
    REG8(8), REG9(9), REG10(10), REG11(11), REG12(12), REG13(13), REG14(14), REG15(15);

    static final FlowField[] ALL = values();

    final int bits;
    /** All ones over 'bits'. */
    final long fullMask;
    private final ToLongFunction<FlowKey> getter;
    private final Setter setter;

    @FunctionalInterface
    private interface Setter {
        void set(FlowKey k, long v);
    }

    FlowField(int bits, ToLongFunction<FlowKey> getter, Setter setter) {
        this.bits = bits;
        this.fullMask = bits == 64 ? -1L : (1L << bits) - 1;
        this.getter = getter;
        this.setter = setter;
    }

    FlowField(int reg) {
        this(32, k -> k.regs[reg] & 0xffffffffL, (k, v) -> k.regs[reg] = (int) v);
    }

    long get(FlowKey k) {
        return getter.applyAsLong(k);
    }

    void set(FlowKey k, long v) {
        setter.set(k, v & fullMask);
    }

    /** The register index of REG0..REG15, else -1. */
    int regIndex() {
        return ordinal() >= REG0.ordinal() ? ordinal() - REG0.ordinal() : -1;
    }

    static FlowField reg(int i) {
        return ALL[REG0.ordinal() + i];
    }
}
