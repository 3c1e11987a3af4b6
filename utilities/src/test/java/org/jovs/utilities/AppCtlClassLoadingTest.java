package org.jovs.utilities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ovs-appctl starts fast because it never touches SLF4J, Logback or native code (JNR,
 * junixsocket): it logs with lib-vlog's plain classes and its own output. Runs the launcher with
 * every logging option, on a failed connection so that it logs to the console and the log file,
 * and lists the classes the JVM loaded.
 *
 * <p>Tagged "launcher": Maven runs it in the package phase, once the launcher's jar exists.
 */
@Tag("launcher")
class AppCtlClassLoadingTest {
    private static final List<String> FORBIDDEN = List.of("org.slf4j.", "ch.qos.logback.", "jnr.",
            "com.kenai.jffi.", "org.newsclub.", "org.jovs.core.natives.");

    @Test
    void loggingLoadsNeitherLogbackNorNativeCode(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.txt");
        ProgramRun r = ProgramRun.run(List.of(AppCtlComparisonTest.OURS, "-v", "-vPATTERN:console:%D %E %B %m",
                "-vFACILITY:daemon", "--log-file=" + dir.resolve("appctl.log"), "--syslog-method=libc",
                "--syslog-target=127.0.0.1:514", "-T", "30", "-t", dir.resolve("nonexistent.ctl").toString(),
                "version"), Map.of("JOVS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), dir, 60);

        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stderr().contains(" 28 failed to connect to "), r.toString());
        assertTrue(Files.readString(dir.resolve("appctl.log")).contains("|unixctl|WARN|failed to connect to "),
                "log file");
        List<String> loaded = Files.readAllLines(classes).stream()
                .map(line -> line.replaceFirst("^\\[[^ ]*\\]\\[info\\]\\[class,load\\] ", ""))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .collect(Collectors.toList());
        assertTrue(loaded.contains("org.jovs.vlog.VlogSettings") && loaded.contains("org.jovs.vlog.LogPattern"),
                "the class list shows lib-vlog's classes at work");
        List<String> forbidden = loaded.stream().filter(c -> FORBIDDEN.stream().anyMatch(c::startsWith))
                .collect(Collectors.toList());
        assertEquals(List.of(), forbidden);
    }
}
