package org.jovs.netlink;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.netlink.natives.NlNative;

/**
 * A tap device made through /dev/net/tun (TUNSETIFF with IFF_TAP | IFF_NO_PI), as OVS's
 * netdev-linux does for type=tap ports.
 *
 * <p>The device exists as long as this object's fd stays open, unless made persistent with
 * {@link #setPersistent(boolean)}, in which case it outlives the fd until deleted (e.g. through
 * {@link Rtnetlink#deleteLink}). The device is created in the network namespace of the thread that
 * calls {@link #create}. The fd is non-blocking; reading and writing frames on it is the caller's
 * business. The owner closes it.
 */
public final class Tap implements Closeable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETPERSIST = 0x400454cbL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;

    private final String name;
    private int fd;

    private Tap(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Creates (or attaches to an existing persistent) tap device 'name'. */
    public static Tap create(String name) throws NativeException {
        ByteBuffer ifr = NlNative.ifreq(name);
        int fd = (int) Native.check(Native.libc().open("/dev/net/tun",
                Native.O_RDWR | Native.O_CLOEXEC | Native.O_NONBLOCK, 0), "open(/dev/net/tun)");
        try {
            ifr.putShort(NlNative.IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            Native.check(NlNative.libc().ioctl(fd, TUNSETIFF, ifr), "ioctl(TUNSETIFF, " + name + ")");
        } catch (NativeException e) {
            Native.closeQuietly(fd);
            throw e;
        }
        byte[] b = new byte[NlNative.IFNAMSIZ];
        ifr.get(0, b);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new Tap(fd, new String(b, 0, n, StandardCharsets.UTF_8));
    }

    /** The device name the kernel gave it. */
    public String name() {
        return name;
    }

    /** The tun fd: frames are read from and written to it. */
    public int fd() {
        return fd;
    }

    /** Makes the device outlive its fd (TUNSETPERSIST), or not. */
    public void setPersistent(boolean persistent) throws NativeException {
        Native.check(NlNative.libc().ioctl(fd, TUNSETPERSIST, persistent ? 1 : 0), "ioctl(TUNSETPERSIST)");
    }

    /** Closes the fd, which removes the device unless it is persistent. */
    @Override
    public void close() {
        if (fd >= 0) {
            Native.closeQuietly(fd);
            fd = -1;
        }
    }
}
