package org.jovs.utilities;

/**
 * Who holds an fcntl() lock on a file, read from /proc/locks: what fcntl(F_GETLK) answers for a
 * whole-file write lock, without native code (this client starts faster without it), and
 * without taking a lock, which would make a daemon starting at that moment think its pidfile is
 * being deleted.
 *
 * <p>A line of /proc/locks reads "N: POSIX  ADVISORY  WRITE PID MAJ:MIN:INODE START END", the
 * device numbers in hex. POSIX and OFD ("OFDLCK", pid -1) locks conflict with F_GETLK's probe;
 * flock() locks do not, and "->" lines are waiters, not holders. Pure logic.
 */
final class ProcLocks {
    /** No process holds a conflicting lock. */
    static final long NONE = 0;

    private ProcLocks() {
    }

    /**
     * The pid (as F_GETLK's l_pid) that holds a lock on the file with stat() device 'dev' and
     * inode 'ino', per 'procLocks', the text of /proc/locks; or {@link #NONE}. Lines are matched
     * on device and inode; if none matches, on the inode alone, because on overlayfs and btrfs
     * stat() reports a different device from the one the kernel lists.
     */
    static long holder(String procLocks, long dev, long ino) {
        String device = String.format("%02x:%02x", major(dev), minor(dev));
        long inodeOnly = NONE;
        for (String line : procLocks.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !(f[1].equals("POSIX") || f[1].equals("OFDLCK"))) {
                continue;
            }
            int lastColon = f[5].lastIndexOf(':');
            if (lastColon < 0 || !f[5].substring(lastColon + 1).equals(Long.toString(ino))) {
                continue;
            }
            long pid = Long.parseLong(f[4]);
            if (f[5].substring(0, lastColon).equals(device)) {
                return pid;
            } else if (inodeOnly == NONE) {
                inodeOnly = pid;
            }
        }
        return inodeOnly;
    }

    /** glibc's major() of a dev_t. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's minor() of a dev_t. */
    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
