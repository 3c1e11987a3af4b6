package org.jovs.vswitchd.netdev;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jovs.core.TimeVal;

/**
 * A pcap file that frames are appended to, as OVS's ovs_pcap_open(name, "ab") and
 * ovs_pcap_write(): a global header (host byte order, microsecond resolution, Ethernet, snaplen
 * 1518) when the file is empty, then one record per frame, each written through at once so that
 * a reader (ovs-pcap, a test) sees it as soon as the frame was handled.
 *
 * <p>Used by {@link DummyNetdev} for its rxq_pcap and tx_pcap options. Writes go straight to the
 * file from the calling thread: the dummy device exists for tests, where the file is local and
 * small. Not thread-safe.
 */
final class PcapWriter implements AutoCloseable {
    private static final int MAGIC = 0xa1b2c3d4;
    private static final int SNAPLEN = 1518;
    private static final int LINKTYPE_ETHERNET = 1;

    private final FileChannel file;
    private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());

    private PcapWriter(FileChannel file) {
        this.file = file;
    }

    /** Opens 'path' for appending, writing the global header if the file is empty. */
    static PcapWriter open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            if (ch.size() == 0) {
                ByteBuffer bb = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
                bb.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                        .putInt(LINKTYPE_ETHERNET).flip();
                writeFully(ch, bb);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new PcapWriter(ch);
    }

    /** Appends one record holding 'frame[0..len)', stamped with the wall clock. */
    void write(byte[] frame, int len) throws IOException {
        long now = TimeVal.wallMsec();
        header.clear();
        header.putInt((int) (now / 1000)).putInt((int) (now % 1000) * 1000).putInt(len).putInt(len).flip();
        writeFully(file, header);
        writeFully(file, ByteBuffer.wrap(frame, 0, len));
    }

    private static void writeFully(FileChannel ch, ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // Nothing was buffered: every record was written through already.
        }
    }
}
