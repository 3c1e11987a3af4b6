package org.jovs.vlog;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connected, non-blocking datagram socket to a syslog daemon (Unix or UDP). Never blocks: a
 * datagram that cannot be sent at once is dropped. After a failed send it reconnects and retries
 * once, as glibc's syslog() does when the daemon restarts. Owns its socket; the engine calls it
 * under its lock.
 */
final class DatagramSink {
    /** Longest datagram we send: the UDP payload limit (longer messages are truncated). */
    static final int MAX_DATAGRAM = 65507;

    private final SocketAddress address;
    /* For a Unix socket: its path. */
    private final File path;
    private DatagramChannel channel;

    private DatagramSink(SocketAddress address, File path) {
        this.address = address;
        this.path = path;
    }

    /** A sink for the Unix datagram socket at 'path'. */
    static DatagramSink unix(String path) {
        File file = new File(path);
        try {
            return new DatagramSink(AFUNIXSocketAddress.of(file), file);
        } catch (IOException e) {
            // Only an over-long path fails here; OVS never logs to such a socket either.
            return new DatagramSink(null, null);
        }
    }

    /**
     * A sink for "IP[:PORT]" ('defaultPort' if omitted, or required if negative), with IPv6
     * addresses in brackets. A bad target is logged as OVS's inet_parse_active() does and gives a
     * sink that drops everything.
     */
    static DatagramSink udp(String target, int defaultPort) {
        return new DatagramSink(parseInet(target, defaultPort), null);
    }

    private static InetSocketAddress parseInet(String target, int defaultPort) {
        // Looked up here, not in a static field: this class is loaded while SLF4J initializes.
        Logger log = LoggerFactory.getLogger("socket_util");
        String host = target;
        String port = null;
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            host = close < 0 ? target.substring(1) : target.substring(1, close);
            if (close >= 0 && close + 1 < target.length() && target.charAt(close + 1) == ':') {
                port = target.substring(close + 2);
            }
        } else if (target.indexOf(':') >= 0 && target.indexOf(':') == target.lastIndexOf(':')) {
            host = target.substring(0, target.indexOf(':'));
            port = target.substring(target.indexOf(':') + 1);
        }
        int portNumber = defaultPort;
        if (port != null && !port.isEmpty()) {
            try {
                portNumber = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                portNumber = -1;
            }
            if (portNumber < 0 || portNumber > 65535) {
                log.error("{}: bad port number \"{}\"", target, port);
                return null;
            }
        } else if (defaultPort < 0) {
            log.error("{}: port must be specified", target);
            return null;
        }
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.contains(":")) {
            log.error("{}: bad IP address \"{}\"", target, host);
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (IOException e) {
            log.error("{}: bad IP address \"{}\"", target, host);
            return null;
        }
    }

    /** Sends 'bytes' as one datagram, truncated to {@link #MAX_DATAGRAM}. */
    void send(byte[] bytes) {
        if (address == null) {
            return;
        }
        // Like glibc, try to connect for every message while unconnected, but see a missing
        // socket (no syslog daemon, e.g. in a container) with stat(2): a failed connect costs two
        // Java exceptions, tens of microseconds per message.
        if (channel == null && path != null && !path.exists()) {
            return;
        }
        int length = Math.min(bytes.length, MAX_DATAGRAM);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (channel == null) {
                    channel = open();
                }
                channel.write(ByteBuffer.wrap(bytes, 0, length));
                return;
            } catch (IOException e) {
                close();
            }
        }
    }

    private DatagramChannel open() throws IOException {
        DatagramChannel ch = address instanceof AFUNIXSocketAddress
                ? AFUNIXDatagramChannel.open() : DatagramChannel.open();
        try {
            ch.configureBlocking(false);
            ch.connect(address);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing to do: the socket is gone either way.
            }
            channel = null;
        }
    }
}
