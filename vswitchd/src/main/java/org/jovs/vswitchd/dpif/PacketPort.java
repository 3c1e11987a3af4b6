package org.jovs.vswitchd.dpif;

import org.jovs.core.PollLoop;
import org.jovs.vswitchd.flow.FrameHandler;

/**
 * One port of the userspace datapath with its frame I/O: frames received on it go, with the
 * port's OpenFlow number as in_port, to its bridge's {@link FrameHandler}; frames sent to it
 * leave through its device without blocking (a frame the device cannot take now is dropped and
 * counted, as netdev-linux counts tx_dropped). {@link LinuxPacketPort} serves kernel devices,
 * {@link DummyPacketPort} netdev-dummy devices.
 *
 * <p>Main thread only; created and closed by {@link NetdevPorts}.
 */
public abstract class PacketPort {
    final String name;
    final int ofport;
    final FrameHandler handler;

    long rxPackets;
    long rxBytes;
    long txPackets;
    long txBytes;
    long rxDropped;
    long txDropped;

    PacketPort(String name, int ofport, FrameHandler handler) {
        this.name = name;
        this.ofport = ofport;
        this.handler = handler;
    }

    /** Reads one frame into 'frame' through 'io': its length, or a negative {@link PacketIo} outcome. */
    abstract int receive(PacketIo io, byte[] frame);

    /** Sends 'frame[0..len)' without blocking; a frame that cannot go now is dropped and counted. */
    abstract void send(PacketIo io, byte[] frame, int len);

    /** Registers what wakes the loop when frames can be received. */
    abstract void waitFor(PollLoop loop);

    /** True if the device is up with a carrier: frames sent now can go out. */
    public abstract boolean canTransmit();

    /** Follows a device that was made again with index 'ifindex'; nothing for most devices. */
    public void rebind(int ifindex) {
    }

    /** Frames the datapath dropped on receive: added to the device's rx_dropped. */
    public long rxDropped() {
        return rxDropped;
    }

    /** Frames the datapath could not send: added to the device's tx_dropped. */
    public long txDropped() {
        return txDropped;
    }

    /** Stops the port's I/O. */
    abstract void close();
}
