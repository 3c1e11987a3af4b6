package org.jovs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.jovs.core.CommandLine.Arg;
import org.jovs.core.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

/** getopt_long() semantics and its error messages. */
class CommandLineTest {
    private final List<String> seen = new ArrayList<>();

    private CommandLine cl() {
        return new CommandLine()
                .option("detach", Arg.NONE, a -> seen.add("detach=" + a))
                .option("pidfile", Arg.OPTIONAL, a -> seen.add("pidfile=" + a))
                .option("unixctl", Arg.REQUIRED, a -> seen.add("unixctl=" + a))
                .option("verbose", 'v', Arg.OPTIONAL, a -> seen.add("v=" + a))
                .option("help", 'h', Arg.NONE, a -> seen.add("h"))
                .option("version", 'V', Arg.NONE, a -> seen.add("V"))
                .option("peer-ca-cert", Arg.REQUIRED, a -> seen.add("peer=" + a))
                .option("private-key", 'p', Arg.REQUIRED, a -> seen.add("p=" + a));
    }

    @Test
    void longOptionsWithAndWithoutArguments() throws Exception {
        List<String> ops = cl().parse(new String[] {"--detach", "--pidfile", "--pidfile=/x.pid", "--unixctl", "ctl",
            "--unixctl=c2", "db"});
        assertEquals(List.of("detach=null", "pidfile=null", "pidfile=/x.pid", "unixctl=ctl", "unixctl=c2"), seen);
        assertEquals(List.of("db"), ops);
    }

    @Test
    void optionalArgumentNeedsEquals() throws Exception {
        List<String> ops = cl().parse(new String[] {"--pidfile", "file"});
        assertEquals(List.of("pidfile=null"), seen);
        assertEquals(List.of("file"), ops);
    }

    @Test
    void shortOptionsBundleAndTakeAttachedArguments() throws Exception {
        cl().parse(new String[] {"-hV", "-vdbg", "-v", "-pkey", "-p", "key2"});
        assertEquals(List.of("h", "V", "v=dbg", "v=null", "p=key", "p=key2"), seen);
    }

    @Test
    void uniquePrefixesAbbreviate() throws Exception {
        cl().parse(new String[] {"--det", "--unix=u"});
        assertEquals(List.of("detach=null", "unixctl=u"), seen);
    }

    @Test
    void operandsArePermutedAndDoubleDashEndsOptions() throws Exception {
        List<String> ops = cl().parse(new String[] {"a", "--detach", "b", "--", "--help"});
        assertEquals(List.of("a", "b", "--help"), ops);
        assertEquals(List.of("detach=null"), seen);
    }

    @Test
    void requireOrderEndsOptionsAtTheFirstOperand() throws Exception {
        List<String> ops = cl().requireOrder().parse(new String[] {"-h", "cmd", "-V", "--detach", "--", "x"});
        assertEquals(List.of("h"), seen);
        assertEquals(List.of("cmd", "-V", "--detach", "--", "x"), ops);
        assertEquals(List.of("-", "-h"), cl().requireOrder().parse(new String[] {"-", "-h"}));
        assertEquals(List.of("-V"), cl().requireOrder().parse(new String[] {"--", "-V"}));
    }

    @Test
    void errorsQuoteTheWholeLongOptionAsGiven() {
        assertEquals("unrecognized option '--nope=1'",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"--nope=1"})).getMessage());
        assertEquals("option '--p=x' is ambiguous; possibilities: '--pidfile' '--peer-ca-cert' '--private-key'",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"--p=x"})).getMessage());
    }

    @Test
    void getoptErrorMessages() {
        assertEquals("unrecognized option '--nope'",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"--nope"})).getMessage());
        assertEquals("option '--unixctl' requires an argument",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"--unixctl"})).getMessage());
        assertEquals("option '--detach' doesn't allow an argument",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"--detach=1"})).getMessage());
        assertEquals("option '--p' is ambiguous; possibilities: '--pidfile' '--peer-ca-cert' '--private-key'",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"--p"})).getMessage());
        assertEquals("invalid option -- 'x'",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"-x"})).getMessage());
        assertEquals("option requires an argument -- 'p'",
                assertThrows(UsageException.class, () -> cl().parse(new String[] {"-p"})).getMessage());
    }
}
