package org.jovs.vswitchd.dpif;

import org.jovs.core.PollLoop;
import org.jovs.vswitchd.flow.FrameHandler;
import org.jovs.vswitchd.netdev.DummyNetdev;

/**
 * A port of the userspace datapath on a netdev-dummy device: frames come from the device's
 * receive queue (what {@code netdev-dummy/receive} injected) and go to its send path, which
 * counts them and writes its tx_pcap. While the port exists the device queues what it receives.
 */
final class DummyPacketPort extends PacketPort {
    private final DummyNetdev dev;

    DummyPacketPort(DummyNetdev dev, int ofport, FrameHandler handler) {
        super(dev.name, ofport, handler);
        this.dev = dev;
        dev.openRx();
    }

    @Override
    int receive(PacketIo io, byte[] frame) {
        int n = dev.receive(frame);
        if (n < 0) {
            return PacketIo.AGAIN;
        }
        rxPackets++;
        rxBytes += n;
        return n;
    }

    @Override
    void send(PacketIo io, byte[] frame, int len) {
        if (dev.send(frame, len)) {
            txPackets++;
            txBytes += len;
        } else {
            txDropped++;
        }
    }

    @Override
    void waitFor(PollLoop loop) {
        if (dev.hasRx()) {
            loop.immediateWake();
        }
    }

    @Override
    public boolean canTransmit() {
        return dev.isUp() && dev.carrier();
    }

    @Override
    void close() {
        dev.closeRx();
    }
}
