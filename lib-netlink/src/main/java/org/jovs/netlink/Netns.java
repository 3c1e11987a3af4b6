package org.jovs.netlink;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;
import org.jovs.netlink.natives.NlNative;

/**
 * Named network namespaces (the /var/run/netns/NAME files of {@code ip netns}).
 *
 * <p>A socket or tap fd belongs to the namespace of the thread that created it, for its whole
 * life. Linux keeps the network namespace per thread, so {@link #call} runs a task on a fresh thread
 * that has entered the namespace (setns(2)); whatever that task opens (an {@link NlSocket}, a
 * {@link Tap}, an {@link Ethtool}) stays bound to the namespace and can then be used from any thread.
 * The calling thread itself never changes namespace.
 */
public final class Netns {
    private static final String NETNS_DIR = "/var/run/netns/";

    private Netns() {
    }

    /** Opens the namespace 'name' (read-only, close-on-exec); the caller owns the fd. */
    public static int open(String name) throws NativeException {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("invalid network namespace name '" + name + "'");
        }
        return (int) Native.check(Native.libc().open(NETNS_DIR + name, Native.O_RDONLY | Native.O_CLOEXEC, 0),
                "open(" + NETNS_DIR + name + ")");
    }

    /**
     * Runs 'task' on a new thread inside namespace 'name', waits for it and returns its result; an
     * exception from the task (or from entering the namespace) is rethrown as it is.
     */
    public static <T> T call(String name, Callable<T> task) throws Exception {
        int fd = open(name);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Native.check(NlNative.libc().setns(fd, NlNative.CLONE_NEWNET), "setns(" + name + ")");
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            }
        }, "netns-" + name);
        try {
            t.start();
            t.join();
        } finally {
            Native.closeQuietly(fd);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }
}
