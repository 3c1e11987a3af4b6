package org.jovs.vlog;

import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets EMER events (ERROR with {@link org.jovs.core.Fatal#EMER}) through whatever the logger's
 * level, so that a fatal message still reaches stderr when every level of its module is off, as
 * OVS's ovs_fatal() guarantees. For every other call it answers NEUTRAL after a null check, so
 * Logback's level check still decides at almost no cost.
 */
final class EmerFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format,
                              Object[] params, Throwable t) {
        if (marker != null && level == Level.ERROR && marker.contains(VlogEngine.EMER_MARKER)) {
            return FilterReply.ACCEPT;
        }
        return FilterReply.NEUTRAL;
    }
}
