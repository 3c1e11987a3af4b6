package org.jovs.vlog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;

/**
 * A fresh vlog engine installed as the process's vlog, with the console captured in memory
 * instead of stderr. Tests that log through SLF4J create one per test; close() releases the log
 * file so that no fd outlives the test.
 */
final class TestEngine implements AutoCloseable {
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final VlogEngine engine;

    /** An engine whose syslog method is 'syslogMethod' ("null" keeps tests off /dev/log). */
    TestEngine(String syslogMethod) throws VlogException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        engine = Vlog.installInto(new VlogEngine(context, console));
        engine.setSyslogMethod(syslogMethod);
        engine.setProgramName("test-vswitchd");
    }

    TestEngine() throws VlogException {
        this("null");
    }

    String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        engine.closeLogFile();
    }
}
