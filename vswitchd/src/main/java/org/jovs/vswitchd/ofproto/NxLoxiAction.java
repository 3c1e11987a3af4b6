package org.jovs.vswitchd.ofproto;

import org.projectfloodlight.openflow.protocol.OFActionType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;

import com.google.common.hash.PrimitiveSink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A Nicira action ({@link NxActions}) dressed as a Loxi action, so that replies Loxi builds (flow
 * stats in every version) can carry it: Loxi writes it with {@link #writeTo}. Only for
 * encoding; it has no builder. Immutable.
 */
record NxLoxiAction(FlowAction action, OFVersion version) implements OFAction {
    NxLoxiAction {
        if (!NxActions.write(action, Unpooled.buffer(16))) {
            throw new IllegalArgumentException("not a Nicira action: " + action);
        }
    }

    @Override
    public OFActionType getType() {
        return OFActionType.EXPERIMENTER;
    }

    @Override
    public OFVersion getVersion() {
        return version;
    }

    @Override
    public void writeTo(ByteBuf b) {
        NxActions.write(action, b);
    }

    @Override
    public OFAction.Builder createBuilder() {
        throw new UnsupportedOperationException("Nicira actions are encoded by hand");
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        ByteBuf b = Unpooled.buffer(16);
        writeTo(b);
        sink.putBytes(b.array(), b.arrayOffset(), b.writerIndex());
    }
}
