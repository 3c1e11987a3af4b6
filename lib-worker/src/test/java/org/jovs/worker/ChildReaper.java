package org.jovs.worker;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * Lets a test collect the exit status of a grandchild: this JVM becomes a child subreaper, so an
 * orphaned worker is reparented here and can be waited for. Test-only libc calls.
 */
final class ChildReaper {
    /** The libc calls this needs, beyond lib-core's LibC. */
    public interface Calls {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        @SaveError
        int waitpid(int pid, @Out int[] status, int options);
    }

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    private static final Calls LIBC = LibraryLoader.create(Calls.class).load("c");

    private ChildReaper() {
    }

    static void becomeSubreaper() {
        if (LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new IllegalStateException("prctl(PR_SET_CHILD_SUBREAPER) failed");
        }
    }

    /** Waits up to 'timeoutMs' for child 'pid'; returns "exit N", "signal N" or "timeout". */
    static String await(long pid, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int[] status = new int[1];
        while (System.nanoTime() < deadline) {
            int rc = LIBC.waitpid((int) pid, status, WNOHANG);
            if (rc == pid) {
                int s = status[0];
                return (s & 0x7f) == 0 ? "exit " + ((s >> 8) & 0xff) : "signal " + (s & 0x7f);
            }
            if (rc < 0) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                } catch (java.io.IOException e) {
                    stat = "gone";
                }
                return "not a child (errno " + jnr.ffi.Runtime.getRuntime(LIBC).getLastError() + ", stat " + stat
                        + ", me " + ProcessHandle.current().pid() + ")";
            }
            Thread.sleep(20);
        }
        return "timeout";
    }
}
