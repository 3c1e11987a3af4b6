package org.jovs.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This process's complete command line as the kernel holds it (/proc/self/cmdline): the java
 * binary, JVM options, main class and program arguments, each decoded as UTF-8. Used to start a
 * copy of ourselves (daemonization) and to read arguments as bytes the user typed them. Pure
 * file reading: loads no native code and no logging.
 */
public final class SelfArgv {
    private SelfArgv() {
    }

    public static List<String> read() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return argv;
    }
}
