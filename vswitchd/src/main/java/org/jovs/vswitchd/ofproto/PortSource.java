package org.jovs.vswitchd.ofproto;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The bridge's side of its ports, as {@link Ofproto} needs it: implemented by the bridge, called
 * on the main thread. None of these may block for long (they read kept state, and a port
 * up/down is one rtnetlink request).
 */
public interface PortSource {
    /** Every port, the bridge's own included, as it is now. */
    List<OfPort> ports();

    /**
     * The device counters of port 'ofport' by OVS's Interface statistics names (rx_packets,
     * tx_bytes, rx_dropped...), empty if unknown.
     */
    Map<String, Long> stats(int ofport);

    /** Sets the administrative state of port 'ofport''s device (OFPPC_PORT_DOWN). */
    void setAdminUp(int ofport, boolean up) throws IOException;
}
