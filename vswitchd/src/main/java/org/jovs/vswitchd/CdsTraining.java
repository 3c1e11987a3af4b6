package org.jovs.vswitchd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jovs.core.json.JsonStreamParser;

/**
 * The build's training run for the class-data-sharing archives that make the daemon and its
 * worker start faster (vswitchd/pom.xml runs it with -XX:ArchiveClassesAtExit). It runs the real
 * daemon on a configuration with no bridges in a temporary directory, sends it a few everyday
 * commands and then `exit`, so that the archives hold the classes of a real start-up. The JVM
 * writes an archive only on a normal exit, which is why this ends with `exit`, not a signal.
 */
public final class CdsTraining {
    private static final String[] COMMANDS = {"version", "list-commands", "vlog/list", "coverage/show",
        "memory/show", "worker/show", "dpif/show", "exit"};

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("jovs-cds-training");
        Path config = dir.resolve("no-bridges.json");
        Files.writeString(config, "{\"bridges\": []}\n");
        Path ctl = dir.resolve("training.ctl");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The worker writes its own archive when it exits after us; wait for it.
            ProcessHandle.current().children().forEach(CdsTraining::awaitExit);
            delete(dir);
        }));
        Thread client = new Thread(() -> drive(ctl), "cds-training-client");
        client.setDaemon(true);
        client.start();
        Main.main(new String[] {"--pidfile=" + dir.resolve("training.pid"), "--unixctl=" + ctl,
            "--log-file=" + dir.resolve("training.log"), "--config=" + config, "-vconsole:warn"});
    }

    private static void drive(Path ctl) {
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Files.exists(ctl)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(ctl + " never appeared");
                }
                Thread.sleep(20);
            }
            for (int i = 0; i < COMMANDS.length; i++) {
                transact(ctl, COMMANDS[i], i);
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("cds training: " + e.getMessage());
            Runtime.getRuntime().halt(1);
        }
    }

    /** Sends one request and reads its reply; a bare-bones unixctl client is all training needs. */
    private static void transact(Path ctl, String command, int id) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(ctl));
            String request = "{\"method\":\"" + command + "\",\"params\":[],\"id\":" + id + "}";
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            JsonStreamParser parser = new JsonStreamParser(16 << 20);
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (!parser.isDone()) {
                in.clear();
                if (ch.read(in) < 0) {
                    return;
                }
                parser.feed(in.array(), 0, in.position());
            }
        }
    }

    private static void awaitExit(ProcessHandle p) {
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
