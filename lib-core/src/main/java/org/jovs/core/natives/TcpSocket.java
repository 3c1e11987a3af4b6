package org.jovs.core.natives;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Non-blocking TCP client sockets on raw fds, for clients driven by the poll loop (OVS's tcp:
 * streams). The caller resolves the address beforehand, since name lookups may block.
 *
 * <p>The fd returned belongs to the caller, who closes it with {@link Native#closeQuietly(int)};
 * it reads and writes it with {@link UnixSocket#read} and {@link UnixSocket#send}, which work on
 * any stream socket. Nothing here blocks.
 */
public final class TcpSocket {
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;

    private TcpSocket() {
    }

    /**
     * Starts connecting to 'address':'port' and returns the fd, normally still connecting
     * (EINPROGRESS): wait for POLLOUT, then read {@link Native#socketError(int)}. An immediate
     * failure raises an exception with the errno and leaves no fd open. Nagle is disabled, as OVS
     * does for its JSON-RPC streams.
     */
    public static int connect(InetAddress address, int port) throws NativeException {
        LibC libc = Native.libc();
        boolean v6 = address instanceof Inet6Address;
        int fd = (int) Native.check(libc.socket(v6 ? Native.AF_INET6 : Native.AF_INET,
                Native.SOCK_STREAM | Native.SOCK_NONBLOCK | Native.SOCK_CLOEXEC, 0), "socket");
        try {
            libc.setsockopt(fd, Native.IPPROTO_TCP, Native.TCP_NODELAY, new int[] {1}, 4);
            byte[] addr = sockaddr(address, port);
            if (libc.connect(fd, addr, addr.length) < 0 && Native.errno() != Native.EINPROGRESS) {
                throw new NativeException("connect", Native.errno());
            }
            return fd;
        } catch (NativeException e) {
            Native.closeQuietly(fd);
            throw e;
        }
    }

    private static byte[] sockaddr(InetAddress address, int port) {
        byte[] ip = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        ByteBuffer b = ByteBuffer.allocate(v4 ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE);
        // sa_family is native-endian; the port is in network order.
        b.order(ByteOrder.nativeOrder()).putShort((short) (v4 ? Native.AF_INET : Native.AF_INET6));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        if (v4) {
            b.put(ip);
        } else {
            b.putInt(0); // sin6_flowinfo
            b.put(ip);
            b.order(ByteOrder.nativeOrder()).putInt(((Inet6Address) address).getScopeId());
        }
        return b.array();
    }
}
