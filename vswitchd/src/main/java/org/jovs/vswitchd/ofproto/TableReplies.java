package org.jovs.vswitchd.ofproto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFTableFeatureProp;
import org.projectfloodlight.openflow.protocol.OFTableFeatures;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.actionid.OFActionId;
import org.projectfloodlight.openflow.protocol.actionid.OFActionIds;
import org.projectfloodlight.openflow.protocol.instructionid.OFInstructionId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What the switch says of its tables: the table statistics of each version and the OF1.3+
 * table features. Counts, names and sizes follow OVS 3.1 (254 visible tables, unnamed as
 * without a Flow_Table row, a million entries each); the capabilities are this switch's own,
 * the same in every version: it matches the {@link #OXM_FIELDS} and metadata, applies output,
 * push/pop VLAN and set-field actions, and chains tables with goto-table. (OVS advertises more,
 * so an OF1.1/1.2 table stats reply, which lists capabilities, prints differently from OVS's.)
 * The OF1.1 and OF1.2 entries are written here, as Loxi's do not hold OpenFlow 1.2's 64-bit
 * OXM bitmaps. Pure logic.
 */
final class TableReplies {
    /** Tables shown to controllers: OVS hides the last of its 255. */
    static final int VISIBLE_TABLES = 254;
    private static final long MAX_ENTRIES = 1_000_000;
    /** OVS names a table only from its Flow_Table row, which this switch does not read. */
    private static final String UNNAMED_TABLE = "";
    private static final int OFPFW10_ALL = 0x3fffff;
    /** OXM fields (class 0x8000: number, length) this switch matches and sets. */
    private static final int[][] OXM_FIELDS = {
        {0, 4}, {2, 8}, {3, 6}, {4, 6}, {5, 2}, {6, 2}, {7, 1}, {8, 1}, {9, 1}, {10, 1}, {11, 4}, {12, 4},
        {13, 2}, {14, 2}, {15, 2}, {16, 2}, {19, 1}, {20, 1}, {21, 2}, {22, 4}, {23, 4}, {24, 6}, {25, 6},
    };
    /**
     * OF1.1 OFPFMF11_*: in_port, dl_vlan, dl_vlan_pcp, dl_type, nw_tos, nw_proto, tp_src, tp_dst,
     * dl_src, dl_dst, nw_src, nw_dst, metadata.
     */
    private static final int OF11_MATCH = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7
            | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 14 | 1 << 15;
    /** OFPIT_GOTO_TABLE and OFPIT_APPLY_ACTIONS (bits of their numbers). */
    private static final int INSTRUCTIONS = 1 << 1 | 1 << 4;
    private static final int GOTO_TABLE_BIT = 1 << 1;
    /**
     * OF1.1 OFPAT11_*: output, set_vlan_vid/pcp, set_dl_src/dst, set_nw_src/dst, set_nw_tos,
     * set_tp_src/dst, push/pop_vlan.
     */
    private static final int OF11_ACTIONS = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7
            | 1 << 9 | 1 << 10 | 1 << 17 | 1 << 18;
    /** OF1.2 OFPAT_*: output, push_vlan, pop_vlan, set_field. */
    private static final int OF12_ACTIONS = 1 << 0 | 1 << 17 | 1 << 18 | 1 << 25;
    private static final int OF12_TABLE_STATS_LEN = 128;
    private static final int OFP_MAX_TABLE_NAME_LEN = 32;
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private TableReplies() {
    }

    /** The table statistics of OF1.0 and OF1.3+ (Loxi's entries). */
    static List<OFTableStatsEntry> tableStats(OFFactory f, FlowTables tables) {
        List<OFTableStatsEntry> entries = new ArrayList<>();
        for (int t = 0; t < VISIBLE_TABLES; t++) {
            var b = f.buildTableStatsEntry().setTableId(TableId.of(t)).setActiveCount(tables.flowCount(t))
                    .setLookupCount(U64.of(tables.lookupCount(t))).setMatchedCount(U64.of(tables.matchedCount(t)));
            if (f.getVersion() == OFVersion.OF_10) {
                b.setName(UNNAMED_TABLE).setWildcards(OFPFW10_ALL).setMaxEntries(MAX_ENTRIES);
            }
            entries.add(b.build());
        }
        return entries;
    }

    /** The table statistics entries of OF1.1 (ofp11_table_stats) or OF1.2 (ofp12_table_stats). */
    static List<ByteBuf> oldTableStats(int version, FlowTables tables) {
        long oxms = oxmBitmap();
        List<ByteBuf> entries = new ArrayList<>();
        for (int t = 0; t < VISIBLE_TABLES; t++) {
            int instructions = t + 1 < VISIBLE_TABLES ? INSTRUCTIONS : INSTRUCTIONS & ~GOTO_TABLE_BIT;
            ByteBuf b = Unpooled.buffer(OF12_TABLE_STATS_LEN);
            b.writeByte(t).writeZero(7);
            byte[] name = UNNAMED_TABLE.getBytes(StandardCharsets.US_ASCII);
            b.writeBytes(name).writeZero(OFP_MAX_TABLE_NAME_LEN - name.length);
            // No write-actions instruction, so nothing to write or set with it.
            if (version == OfWire.OF11) {
                b.writeInt(OF11_MATCH).writeInt(OF11_MATCH).writeInt(instructions).writeInt(0).writeInt(OF11_ACTIONS);
            } else {
                b.writeLong(oxms).writeLong(oxms).writeInt(0).writeInt(OF12_ACTIONS).writeLong(0).writeLong(oxms)
                        .writeLong(-1).writeLong(0).writeInt(instructions);
            }
            // config 0: table misses go to the controller, OVS's default table-miss behaviour in these versions.
            b.writeInt(0).writeInt((int) MAX_ENTRIES).writeInt(tables.flowCount(t)).writeLong(tables.lookupCount(t))
                    .writeLong(tables.matchedCount(t));
            entries.add(b);
        }
        return entries;
    }

    /** OF1.2 OXM bitmap: bit N for OXM field N of class 0x8000. */
    private static long oxmBitmap() {
        long out = 0;
        for (int[] fl : OXM_FIELDS) {
            out |= 1L << fl[0];
        }
        return out;
    }

    /**
     * Every visible table's features, as OpenFlow 1.3 encodes them, which is also 1.4's and
     * 1.5's encoding of what this switch says: OF1.5's command (0, REPLACE) and features (none)
     * and 1.4's capabilities (none) are zeros where 1.3 has padding and config. Loxi's own 1.4
     * and 1.5 encoders cannot be used: they do not pad the properties.
     */
    static List<OFTableFeatures> tableFeatures() {
        List<OFTableFeatures> out = new ArrayList<>();
        for (int t = 0; t < VISIBLE_TABLES; t++) {
            out.add(tableFeatures(OF13, t));
        }
        return out;
    }

    private static OFTableFeatures tableFeatures(OFFactory f, int t) {
        List<U32> oxms = new ArrayList<>();
        for (int[] fl : OXM_FIELDS) {
            oxms.add(U32.of(NxmCodec.header(0x8000, fl[0], false, fl[1]) & 0xffffffffL));
        }
        List<U8> next = new ArrayList<>();
        for (int n = t + 1; n < VISIBLE_TABLES; n++) {
            next.add(U8.of((short) n));
        }
        OFActionIds ids = f.actionIds();
        List<OFActionId> actions = List.of(ids.output(), ids.popVlan(), ids.pushVlan(), ids.setField());
        List<OFInstructionId> instructions = new ArrayList<>(List.of(f.instructionIds().applyActions()));
        if (t + 1 < VISIBLE_TABLES) {
            instructions.add(f.instructionIds().gotoTable());
        }
        List<OFTableFeatureProp> props = List.of(f.tableFeaturePropInstructions(instructions),
                f.tableFeaturePropNextTables(next), f.tableFeaturePropWriteActions(List.of()),
                f.tableFeaturePropApplyActions(actions), f.tableFeaturePropMatch(oxms),
                f.tableFeaturePropWildcards(oxms), f.tableFeaturePropWriteSetfield(List.of()),
                f.tableFeaturePropApplySetfield(oxms));
        return f.buildTableFeatures().setTableId(TableId.of(t)).setName(UNNAMED_TABLE)
                .setMetadataMatch(U64.NO_MASK).setMetadataWrite(U64.ZERO).setConfig(0).setMaxEntries(MAX_ENTRIES)
                .setProperties(props).build();
    }
}
