package org.jovs.vswitchd.odp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every call of odp/golden.txt, which tests/tools/odp-golden.py recorded from the real OVS 3.1
 * ovs-vswitchd: the same arguments must give the same frames, in order, and the same error
 * reply (OVS's reply less its trailing newline). With -Dodp.golden=FILE, the calls of FILE
 * instead (e.g. from tests/tools/odp-fuzz.py, recorded the same way).
 */
class OvsGoldenTest {
    record Case(String line, String[] args, int vlanLimit, List<String> frames, String error) {}

    static List<Case> cases(String text) {
        List<Case> cases = new ArrayList<>();
        String line = null;
        int limit = 1;
        List<String> frames = new ArrayList<>();
        String error = null;
        for (String l : (text + "\n\n").split("\n", -1)) {
            if (l.startsWith("case: ")) {
                line = l.substring(6);
            } else if (l.startsWith("vlan-limit: ")) {
                limit = Integer.parseInt(l.substring(12));
            } else if (l.startsWith("frame: ")) {
                frames.add(l.substring(7));
            } else if (l.startsWith("error: ")) {
                error = l.substring(7).replace("\\n", "\n").replace("\\\\", "\\");
            } else if (l.isEmpty() && line != null) {
                String[] args = line.split("\t", -1);
                for (int i = 0; i < args.length; i++) {
                    args[i] = args[i].equals("''") ? "" : args[i];
                }
                cases.add(new Case(line, args, limit, frames, error));
                line = null;
                frames = new ArrayList<>();
                error = null;
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> sameFramesAndErrorsAsOvs() throws IOException {
        String file = System.getProperty("odp.golden");
        List<Case> cases;
        if (file != null) {
            cases = cases(Files.readString(Path.of(file)));
        } else {
            try (InputStream in = OvsGoldenTest.class.getResourceAsStream("/odp/golden.txt")) {
                cases = cases(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(412, cases.size());
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.line(), () -> {
            DummyPacket.Result r = DummyPacket.parse(c.args(), 0, 1, c.vlanLimit());
            List<String> frames = new ArrayList<>();
            for (DummyPacket.Packet p : r.packets()) {
                frames.add(HexFormat.of().formatHex(p.frame()));
            }
            assertEquals(c.error(), r.error(), "error");
            assertEquals(c.frames(), frames, "frames");
        }));
    }
}
