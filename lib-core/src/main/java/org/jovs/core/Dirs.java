package org.jovs.core;

import java.nio.file.Path;

/**
 * The directories OVS programs use, from the same environment variables as OVS:
 * OVS_RUNDIR (pidfiles and control sockets), OVS_LOGDIR, OVS_DBDIR and OVS_SYSCONFDIR.
 */
public final class Dirs {
    private Dirs() {
    }

    public static String rundir() {
        return env("OVS_RUNDIR", "/var/run/openvswitch");
    }

    public static String logdir() {
        return env("OVS_LOGDIR", "/var/log/openvswitch");
    }

    public static String dbdir() {
        String dbdir = System.getenv("OVS_DBDIR");
        if (dbdir != null && !dbdir.isEmpty()) {
            return dbdir;
        }
        return sysconfdir() + "/openvswitch";
    }

    public static String sysconfdir() {
        return env("OVS_SYSCONFDIR", "/etc");
    }

    /**
     * 'name' made absolute within 'dir' if it is relative, as OVS's abs_file_name() does: by
     * joining the text with one "/" (OVS assumes, without checking, that 'dir' is absolute), or
     * within the working directory if 'dir' is null or empty. The text is not normalized, since
     * it appears in messages.
     */
    public static String absFileName(String dir, String name) {
        if (name.startsWith("/")) {
            return name;
        } else if (dir != null && !dir.isEmpty()) {
            return dir + (dir.endsWith("/") ? "" : "/") + name;
        }
        return Path.of("").toAbsolutePath() + "/" + name;
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v != null && !v.isEmpty() ? v : dflt;
    }
}
