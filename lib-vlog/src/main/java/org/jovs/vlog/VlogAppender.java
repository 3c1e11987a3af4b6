package org.jovs.vlog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * The only appender on Logback's root logger: hands every event to the {@link VlogEngine}.
 * Logback's own re-entrance guard is bypassed on purpose: vlog logs about itself while logging
 * (file errors, a log file writer that logs) and must not lose those messages; the engine's
 * reentrant lock keeps that safe.
 */
final class VlogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final VlogEngine engine;

    VlogAppender(VlogEngine engine) {
        this.engine = engine;
    }

    @Override
    public void doAppend(ILoggingEvent event) {
        if (isStarted()) {
            append(event);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        engine.append(event);
    }
}
