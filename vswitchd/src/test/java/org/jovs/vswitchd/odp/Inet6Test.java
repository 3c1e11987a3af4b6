package org.jovs.vswitchd.odp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IPv6 text as glibc's inet_pton() and inet_ntop() read and write it. */
class Inet6Test {
    @ParameterizedTest
    @CsvSource({
        "::, ::", "::1, ::1", "1::, 1::", "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:1:0:0:0:1, 1:0:0:1::1", "1:0:0:1:0:0:1:1, 1::1:0:0:1:1",
        "1:0:2:3:4:5:6:7, 1:0:2:3:4:5:6:7", "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "::1.2.3.4, ::1.2.3.4", "::fffe:1.2.3.4, ::fffe:102:304", "FE80::A:b, fe80::a:b",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304", "0001:02:3::, 1:2:3::",
    })
    void parsesAndFormats(String in, String out) {
        byte[] a = new byte[16];
        assertTrue(Inet6.parse(in, a));
        assertEquals(out, Inet6.format(a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":1::", "1::2::3", "00001::", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::", "1:", "::01.2.3.4", "::1.2.3", "::256.1.1.1", "1.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4"})
    void refuses(String in) {
        assertFalse(Inet6.parse(in, new byte[16]));
    }
}
