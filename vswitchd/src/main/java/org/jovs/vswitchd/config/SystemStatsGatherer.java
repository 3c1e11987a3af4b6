package org.jovs.vswitchd.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers the system statistics of the Open_vSwitch "statistics" column, with OVS 3.1's keys and
 * formats (vswitchd/system-stats.c): "cpu" (cores this process may run on), "load_average",
 * "memory" (total, used, cache, swap total, swap used, in kB), "process_NAME" for every NAME.pid in
 * the run directory (vsz, rss, cputime, crashes, booted, uptime, core), and "file_systems" (local
 * writable mounts with their size and use in kB).
 *
 * <p>This reads /proc and calls statvfs on every mount, which can hang on a dead network file
 * system: it is meant to run where blocking is allowed (the worker process), behind a
 * {@link SystemStatsSource}, never on the main loop.
 */
public final class SystemStatsGatherer {
    /** USER_HZ: the unit of the times in /proc/PID/stat. */
    private static final int USER_HZ = 100;
    /** The page size in kB, for the resident set size in pages (4 kB on x86-64 and most others). */
    private static final long PAGE_KB = 4;

    private SystemStatsGatherer() {
    }

    /** Gathers everything; statistics that cannot be read are left out, as OVS does. */
    public static Map<String, String> gather(Path rundir) {
        Map<String, String> stats = new TreeMap<>();
        cpuCores(stats);
        loadAverage(stats);
        memory(stats);
        processes(stats, rundir);
        fileSystems(stats);
        return stats;
    }

    private static void cpuCores(Map<String, String> stats) {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Cpus_allowed:")) {
                int n = 0;
                for (char c : line.substring("Cpus_allowed:".length()).trim().replace(",", "").toCharArray()) {
                    n += Integer.bitCount(Character.digit(c, 16));
                }
                if (n > 0) {
                    stats.put("cpu", Integer.toString(n));
                }
            }
        }
    }

    private static void loadAverage(Map<String, String> stats) {
        List<String> lines = lines(Path.of("/proc/loadavg"));
        if (!lines.isEmpty()) {
            String[] f = lines.get(0).split("\\s+");
            if (f.length >= 3) {
                stats.put("load_average", String.format(Locale.ROOT, "%.2f,%.2f,%.2f",
                        Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
            }
        }
    }

    private static void memory(Map<String, String> stats) {
        Map<String, Long> v = new TreeMap<>();
        for (String line : lines(Path.of("/proc/meminfo"))) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String[] f = line.substring(colon + 1).trim().split("\\s+");
                try {
                    v.put(line.substring(0, colon), Long.parseLong(f[0]));
                } catch (NumberFormatException e) {
                    // Not a number: not one of ours.
                }
            }
        }
        if (v.isEmpty()) {
            return;
        }
        long total = v.getOrDefault("MemTotal", 0L);
        long swapTotal = v.getOrDefault("SwapTotal", 0L);
        stats.put("memory", total + "," + (total - v.getOrDefault("MemFree", 0L)) + ","
                + (v.getOrDefault("Buffers", 0L) + v.getOrDefault("Cached", 0L)) + "," + swapTotal + ","
                + (swapTotal - v.getOrDefault("SwapFree", 0L)));
    }

    private static void processes(Map<String, String> stats, Path rundir) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(rundir, "*.pid")) {
            for (Path pidfile : dir) {
                if (!Files.isRegularFile(pidfile)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(pidfile).trim());
                } catch (IOException | NumberFormatException e) {
                    continue;
                }
                String name = pidfile.getFileName().toString();
                String key = "process_" + name.substring(0, name.length() - ".pid".length());
                stats.putIfAbsent(key, processInfo(pid));
            }
        } catch (IOException e) {
            // No run directory: no processes to report.
        }
    }

    /** "vsz,rss,cputime,crashes,booted,uptime,core", or "" if the process cannot be read. */
    static String processInfo(long pid) {
        RawProcess child = RawProcess.read(pid);
        if (child == null) {
            return "";
        }
        long booted = child.uptime;
        int crashes = 0;
        if (child.ppid != 0) {
            RawProcess parent = RawProcess.read(child.ppid);
            if (parent != null && parent.name.equals(child.name)) {
                // Run under --monitor: count from the monitor's start and its crash count.
                booted = parent.uptime;
                crashes = countCrashes(child.ppid);
            }
        }
        return child.vsz + "," + child.rss + "," + child.cputime + "," + crashes + "," + booted + ","
                + child.uptime + "," + child.core;
    }

    /** The crash count in a monitor's process title, "... (N crashes: ...)". */
    private static int countCrashes(long pid) {
        try {
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            int paren = cmdline.indexOf('(');
            if (paren >= 0) {
                String rest = cmdline.substring(paren + 1).split("\\D", 2)[0];
                return rest.isEmpty() ? 0 : Integer.parseInt(rest);
            }
        } catch (IOException | NumberFormatException e) {
            // No title to read: no crashes known.
        }
        return 0;
    }

    /** What OVS's get_raw_process_info() reads from /proc/PID/stat. */
    private record RawProcess(String name, long ppid, long vsz, long rss, long cputime, long uptime, int core) {
        static RawProcess read(long pid) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            } catch (IOException e) {
                return null;
            }
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open) {
                return null;
            }
            String[] f = stat.substring(close + 2).trim().split("\\s+");
            // f[0] is field 3 (state): field N is f[N - 3].
            if (f.length < 37) {
                return null;
            }
            try {
                long startMsec = bootTimeMsec() + Long.parseLong(f[22 - 3]) * (1000 / USER_HZ);
                return new RawProcess(stat.substring(open + 1, close), Long.parseLong(f[4 - 3]),
                        Long.parseUnsignedLong(f[23 - 3]) / 1024, Long.parseLong(f[24 - 3]) * PAGE_KB,
                        (Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3])) * (1000 / USER_HZ),
                        System.currentTimeMillis() - startMsec, Integer.parseInt(f[39 - 3]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private static long bootTimeMsec() {
        for (String line : lines(Path.of("/proc/stat"))) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(line.substring(6).trim()) * 1000;
            }
        }
        return 0;
    }

    private static void fileSystems(Map<String, String> stats) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(Path.of("/etc/mtab"))) {
            String[] f = line.split("\\s+");
            // Local, writable file systems only, as OVS.
            if (f.length < 4 || !f[0].startsWith("/dev") || !f[3].contains("rw")) {
                continue;
            }
            String dir = unescape(f[1]);
            long total;
            long free;
            try {
                FileStore store = Files.getFileStore(Path.of(dir));
                if (store.isReadOnly()) {
                    continue;
                }
                total = store.getTotalSpace() / 1024;
                free = store.getUnallocatedSpace() / 1024;
            } catch (IOException e) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(dir.replace(' ', '_').replace(',', '_')).append(',').append(total).append(',').append(total - free);
        }
        if (sb.length() > 0) {
            stats.put("file_systems", sb.toString());
        }
    }

    /** Decodes the \NNN octal escapes of mount table fields, as getmntent() does. */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
