package org.jovs.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.List;

import org.jovs.vswitchd.flow.FlowKey;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionPushVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionSetDlDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetDlSrc;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwSrc;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwTos;
import org.projectfloodlight.openflow.protocol.action.OFActionSetTpDst;
import org.projectfloodlight.openflow.protocol.action.OFActionSetTpSrc;
import org.projectfloodlight.openflow.protocol.action.OFActionSetVlanPcp;
import org.projectfloodlight.openflow.protocol.action.OFActionSetVlanVid;
import org.projectfloodlight.openflow.protocol.action.OFActionPopVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionStripVlan;
import org.projectfloodlight.openflow.protocol.action.OFActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.VlanPcp;
import org.projectfloodlight.openflow.types.VlanVid;

/**
 * Converts between Loxi's actions (OF1.0 action lists, OF1.1+ apply-actions and goto-table
 * instructions) and {@link FlowAction}s. A set_field to a transport port is written for the
 * protocol the flow matches (tcp_src, udp_src...), as OVS. Pure logic.
 */
final class LoxiActions {
    private static final int ETH_TYPE_VLAN = 0x8100;

    private LoxiActions() {
    }

    static List<FlowAction> read(List<OFAction> actions) throws OfError.OfErrorException {
        List<FlowAction> out = new ArrayList<>();
        for (OFAction a : actions) {
            out.add(read(a));
        }
        return out;
    }

    private static FlowAction read(OFAction a) throws OfError.OfErrorException {
        if (a instanceof OFActionOutput o) {
            int port = OfPorts.fromLoxi(o.getPort());
            if (port == 0 || port == OfPorts.NONE) {
                throw OfError.BAD_OUT_PORT.exception("output to " + port);
            }
            return new FlowAction.Output(port, o.getMaxLen() & 0xffff);
        }
        if (a instanceof OFActionSetVlanVid v) {
            return new FlowAction.SetVlanVid(v.getVlanVid().getVlan(), true);
        }
        if (a instanceof OFActionSetVlanPcp p) {
            return new FlowAction.SetVlanPcp(p.getVlanPcp().getValue());
        }
        if (a instanceof OFActionStripVlan || a instanceof OFActionPopVlan) {
            return new FlowAction.StripVlan();
        }
        if (a instanceof OFActionPushVlan p) {
            return new FlowAction.PushVlan(p.getEthertype().getValue());
        }
        if (a instanceof OFActionSetDlSrc s) {
            return new FlowAction.SetDlSrc(s.getDlAddr().getLong());
        }
        if (a instanceof OFActionSetDlDst s) {
            return new FlowAction.SetDlDst(s.getDlAddr().getLong());
        }
        if (a instanceof OFActionSetNwSrc s) {
            return new FlowAction.SetNwSrc(s.getNwAddr().getInt());
        }
        if (a instanceof OFActionSetNwDst s) {
            return new FlowAction.SetNwDst(s.getNwAddr().getInt());
        }
        if (a instanceof OFActionSetNwTos s) {
            return new FlowAction.SetNwTos(s.getNwTos() & 0xfc);
        }
        if (a instanceof OFActionSetTpSrc s) {
            return new FlowAction.SetTpSrc(s.getTpPort().getPort());
        }
        if (a instanceof OFActionSetTpDst s) {
            return new FlowAction.SetTpDst(s.getTpPort().getPort());
        }
        if (a instanceof OFActionSetField s) {
            return readSetField(s.getField());
        }
        throw OfError.BAD_ACTION_TYPE.exception("unsupported action " + a.getType());
    }

    private static FlowAction readSetField(OFOxm<?> oxm) throws OfError.OfErrorException {
        Object v = oxm.getValue();
        switch (oxm.getMatchField().id) {
        case VLAN_VID:
            return new FlowAction.SetVlanVid(((OFVlanVidMatch) v).getVlan(), false);
        case VLAN_PCP:
            return new FlowAction.SetVlanPcp(((VlanPcp) v).getValue());
        case ETH_SRC:
            return new FlowAction.SetDlSrc(((MacAddress) v).getLong());
        case ETH_DST:
            return new FlowAction.SetDlDst(((MacAddress) v).getLong());
        case IPV4_SRC:
            return new FlowAction.SetNwSrc(((IPv4Address) v).getInt());
        case IPV4_DST:
            return new FlowAction.SetNwDst(((IPv4Address) v).getInt());
        case IP_DSCP:
            return new FlowAction.SetNwTos(((IpDscp) v).getDscpValue() << 2);
        case TCP_SRC: case UDP_SRC: case SCTP_SRC:
            return new FlowAction.SetTpSrc(((TransportPort) v).getPort());
        case TCP_DST: case UDP_DST: case SCTP_DST:
            return new FlowAction.SetTpDst(((TransportPort) v).getPort());
        default:
            throw OfError.BAD_ACTION_ARGUMENT.exception("unsupported set_field " + oxm.getMatchField().getName());
        }
    }

    /** True if every packet 'match' accepts carries a VLAN tag (the CFI bit is matched as 1). */
    private static boolean matchesTagged(FlowMatch match) {
        return (match.mask(FlowField.VLAN_TCI) & match.value(FlowField.VLAN_TCI) & FlowKey.VLAN_CFI) != 0;
    }

    /**
     * The OF1.0 action list (goto_table as resubmit(,N), as OVS sends it), or the OF1.1+
     * apply-actions list (goto_table left out, it is an instruction), for 'actions'. As OVS
     * encodes them, field changes are the version's own set actions up to OF1.1 and set_field
     * from 1.2 on; a VLAN is stripped by strip_vlan in 1.0 and pop_vlan after.
     */
    static List<OFAction> write(OFFactory factory, List<FlowAction> actions, FlowMatch match) {
        OFActions f = factory.actions();
        boolean v10 = factory.getVersion() == OFVersion.OF_10;
        boolean setField = factory.getVersion().compareTo(OFVersion.OF_12) >= 0;
        OFOxms oxms = setField ? factory.oxms() : null;
        long proto = match.isExact(FlowField.NW_PROTO) ? match.value(FlowField.NW_PROTO) : -1;
        List<OFAction> out = new ArrayList<>();
        for (FlowAction a : actions) {
            if (a instanceof FlowAction.Output o) {
                out.add(f.output(OfPorts.toLoxi(o.port()), o.maxLen()));
            } else if (a instanceof FlowAction.SetVlanVid v) {
                if (!v10 && v.pushIfNeeded() && !matchesTagged(match)) {
                    out.add(f.pushVlan(EthType.of(ETH_TYPE_VLAN)));
                }
                out.add(setField ? f.setField(oxms.vlanVid(OFVlanVidMatch.ofVlan(v.vid())))
                        : f.setVlanVid(VlanVid.ofVlan(v.vid())));
            } else if (a instanceof FlowAction.SetVlanPcp p) {
                out.add(setField ? f.setField(oxms.vlanPcp(VlanPcp.of((byte) p.pcp())))
                        : f.setVlanPcp(VlanPcp.of((byte) p.pcp())));
            } else if (a instanceof FlowAction.StripVlan) {
                out.add(v10 ? f.stripVlan() : f.popVlan());
            } else if (a instanceof FlowAction.PushVlan p) {
                if (!v10) {
                    out.add(f.pushVlan(EthType.of(p.ethertype())));
                }
            } else if (a instanceof FlowAction.SetDlSrc s) {
                MacAddress mac = MacAddress.of(s.mac());
                out.add(setField ? f.setField(oxms.ethSrc(mac)) : f.setDlSrc(mac));
            } else if (a instanceof FlowAction.SetDlDst s) {
                MacAddress mac = MacAddress.of(s.mac());
                out.add(setField ? f.setField(oxms.ethDst(mac)) : f.setDlDst(mac));
            } else if (a instanceof FlowAction.SetNwSrc s) {
                IPv4Address ip = IPv4Address.of(s.ip());
                out.add(setField ? f.setField(oxms.ipv4Src(ip)) : f.setNwSrc(ip));
            } else if (a instanceof FlowAction.SetNwDst s) {
                IPv4Address ip = IPv4Address.of(s.ip());
                out.add(setField ? f.setField(oxms.ipv4Dst(ip)) : f.setNwDst(ip));
            } else if (a instanceof FlowAction.SetNwTos s) {
                out.add(setField ? f.setField(oxms.ipDscp(IpDscp.of((byte) (s.tos() >>> 2))))
                        : f.setNwTos((short) s.tos()));
            } else if (a instanceof FlowAction.SetTpSrc s) {
                TransportPort p = TransportPort.of(s.port());
                out.add(setField
                        ? f.setField(proto == 17 ? oxms.udpSrc(p) : proto == 132 ? oxms.sctpSrc(p) : oxms.tcpSrc(p))
                        : f.setTpSrc(p));
            } else if (a instanceof FlowAction.SetTpDst s) {
                TransportPort p = TransportPort.of(s.port());
                out.add(setField
                        ? f.setField(proto == 17 ? oxms.udpDst(p) : proto == 132 ? oxms.sctpDst(p) : oxms.tcpDst(p))
                        : f.setTpDst(p));
            } else if (a instanceof FlowAction.Resubmit || v10 && a instanceof FlowAction.GotoTable) {
                out.add(new NxLoxiAction(a, factory.getVersion()));
            }
        }
        return out;
    }

    /** The OF1.1+ instructions for 'actions': apply-actions (if any), then goto-table (if any). */
    static List<OFInstruction> writeInstructions(OFFactory factory, List<FlowAction> actions, FlowMatch match) {
        List<OFInstruction> out = new ArrayList<>();
        List<OFAction> apply = write(factory, actions, match);
        if (!apply.isEmpty()) {
            out.add(factory.instructions().applyActions(apply));
        }
        for (FlowAction a : actions) {
            if (a instanceof FlowAction.GotoTable g) {
                out.add(factory.instructions().gotoTable(TableId.of(g.table())));
            }
        }
        return out;
    }
}
