package org.jovs.vlog;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OVS's VLOG_*_ONCE: a call site keeps one instance and logs only the first time.
 * <pre>
 *   private static final Once NO_TUNNELS = new Once();
 *   ...
 *   Vlog.logOnce(LOG, Level.WARN, NO_TUNNELS, "tunnels are not supported");
 * </pre>
 * Thread-safe.
 */
public final class Once {
    private final AtomicBoolean done = new AtomicBoolean();

    /** True the first time only. */
    public boolean first() {
        return done.compareAndSet(false, true);
    }
}
