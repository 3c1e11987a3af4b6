package org.jovs.netlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jovs.core.Pidfile;
import org.jovs.core.TimeVal;
import org.jovs.core.natives.Native;
import org.jovs.netlink.natives.NlLibC;
import org.jovs.netlink.natives.NlNative;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers one snapshot of OVS's system statistics, the string map that ovs-vswitchd writes to the
 * Open_vSwitch table's "statistics" column, with the keys and value formats of OVS 3.1's
 * vswitchd/system-stats.c:
 * <ul>
 * <li>{@code cpu}: the number of CPUs this process may run on (online CPUs, narrowed by
 * sched_getaffinity), e.g. "2".
 * <li>{@code load_average}: getloadavg() as "%.2f,%.2f,%.2f".
 * <li>{@code memory}: from /proc/meminfo, "total,used,cache,swap_total,swap_used" in kB, where used
 * is MemTotal - MemFree and cache is Buffers + Cached.
 * <li>{@code process_NAME}: for each NAME.pid in the run directory held by a live process, and for
 * each extra process the caller names (the first occurrence of a NAME wins),
 * "vsz,rss,cputime,crashes,booted,uptime,core_id": virtual and resident size in kB, CPU time in ms,
 * the crash count its monitor shows, ms since the monitor (a parent of the same name) or else the
 * process started, ms since the process started, the CPU it last ran on. An empty value if the
 * process cannot be read.
 * <li>{@code file_systems}: for each read-write mount of a /dev device in /etc/mtab,
 * "MOUNTPOINT,total,used" in kB (spaces and commas in the mount point become '_'), separated by
 * spaces; absent if there is none.
 * </ul>
 * A key whose source cannot be read is left out, as in OVS, with a one-time log message.
 *
 * <p>The one difference from OVS: a process's CPU time comes from {@link Taskstats} where the kernel
 * offers it (microseconds, all threads), and from /proc/PID/stat's clock ticks otherwise.
 *
 * <p>Blocks on /proc, statvfs and netlink; runs in the worker ({@link SystemStatsHandler}).
 */
final class SystemStatsCollector {
    private static final Logger LOG = LoggerFactory.getLogger("system_stats");
    private static final NlLibC LIBC = NlNative.libc();
    /** USER_HZ: the unit of the clock-tick fields of /proc, fixed at 100 in the kernel's ABI. */
    private static final int USER_HZ = 100;
    private static final List<String> MEMINFO_KEYS = List.of("MemTotal", "MemFree", "Buffers", "Cached",
            "SwapTotal", "SwapFree");

    private final Taskstats taskstats;
    private final Path rundir;
    private final Path mtab;
    private final Set<String> warned = new HashSet<>();

    /**
     * Reads pidfiles from 'rundir' and mounts from 'mtab'; asks 'taskstats' (null for none) for CPU
     * times.
     */
    SystemStatsCollector(Taskstats taskstats, Path rundir, Path mtab) {
        this.taskstats = taskstats;
        this.rundir = rundir;
        this.mtab = mtab;
    }

    /** One snapshot; 'extraProcesses' maps NAME to pid for process_NAME keys beyond the pidfiles. */
    Map<String, String> collect(Map<String, Integer> extraProcesses) {
        Map<String, String> stats = new LinkedHashMap<>();
        cpuCores(stats);
        loadAverage(stats);
        memory(stats);
        processes(stats, extraProcesses);
        fileSystems(stats);
        return stats;
    }

    private void cpuCores(Map<String, String> stats) {
        long n = LIBC.sysconf(NlNative.SC_NPROCESSORS_ONLN);
        if (n > 0) {
            // CPU_ALLOC_SIZE(n): whole 64-bit words. A mask too small for the CPU ids in use makes
            // the call fail, and then the online count stands, as in OVS.
            byte[] mask = new byte[(int) ((n + 63) / 64 * 8)];
            if (LIBC.sched_getaffinity(0, mask.length, mask) == 0) {
                n = 0;
                for (byte b : mask) {
                    n += Integer.bitCount(b & 0xff);
                }
            }
        }
        if (n > 0) {
            stats.put("cpu", Long.toString(n));
        }
    }

    private static void loadAverage(Map<String, String> stats) {
        double[] avg = new double[3];
        if (LIBC.getloadavg(avg, 3) == 3) {
            stats.put("load_average", String.format(Locale.ROOT, "%.2f,%.2f,%.2f", avg[0], avg[1], avg[2]));
        }
    }

    private void memory(Map<String, String> stats) {
        String file = "/proc/meminfo";
        try {
            stats.put("memory", memoryValue(Files.readString(Path.of(file), StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            warnOnce("meminfo", file + ": open failed (" + reason(e) + ")");
        }
    }

    /** The "memory" value for the text of /proc/meminfo; absent lines count as 0. */
    static String memoryValue(String meminfo) {
        int[] v = new int[MEMINFO_KEYS.size()];
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            // Keys are at most 15 characters, as OVS scans them ("%15[^:]: %u").
            if (colon <= 0 || colon > 15) {
                continue;
            }
            int i = MEMINFO_KEYS.indexOf(line.substring(0, colon));
            long value = leadingNumber(line, colon + 1);
            if (i >= 0 && value >= 0) {
                v[i] = (int) value;
            }
        }
        int memUsed = v[0] - v[1];
        int memCache = v[2] + v[3];
        int swapUsed = v[4] - v[5];
        return v[0] + "," + memUsed + "," + memCache + "," + v[4] + "," + swapUsed;
    }

    private void processes(Map<String, String> stats, Map<String, Integer> extra) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(rundir)) {
            for (Path p : dir) {
                String file = p.getFileName().toString();
                int dot = file.lastIndexOf('.');
                if (dot < 0 || !file.substring(dot).equals(".pid") || !isRegularFile(p)) {
                    continue;
                }
                int pid;
                try {
                    pid = Pidfile.runningPid(p.toString());
                } catch (IOException e) {
                    warnOnce("pidfile", e.getMessage());
                    continue;
                }
                if (pid > 0) {
                    addProcess(stats, file.substring(0, dot), pid);
                }
            }
        } catch (IOException e) {
            warnOnce("rundir", rundir + ": open failed (" + reason(e) + ")");
        }
        for (Map.Entry<String, Integer> e : extra.entrySet()) {
            addProcess(stats, e.getKey(), e.getValue());
        }
    }

    private static boolean isRegularFile(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile();
        } catch (IOException e) {
            return false;
        }
    }

    private void addProcess(Map<String, String> stats, String name, int pid) {
        String key = "process_" + name;
        if (!stats.containsKey(key)) {
            stats.put(key, processValue(pid));
        }
    }

    /** The process_NAME value for 'pid', as OVS's get_process_info(); "" if it cannot be read. */
    private String processValue(int pid) {
        ProcStat child = procStat(pid);
        if (child == null) {
            return "";
        }
        long now = TimeVal.wallMsec();
        long bootMs = bootTimeMs();
        long uptime = now - child.startMs(bootMs);
        long booted = uptime;
        int crashes = 0;
        if (child.ppid() != 0) {
            // A parent of the same name is the monitor that restarts the process after a crash.
            ProcStat parent = procStat(child.ppid());
            if (parent != null && parent.name().equals(child.name())) {
                booted = now - parent.startMs(bootMs);
                crashes = crashCount(child.ppid());
            }
        }
        long micros = taskstats != null ? taskstats.cpuTimeMicros(pid) : -1;
        long cputime = micros >= 0 ? micros / 1000 : child.cpuTicks() * (1000 / USER_HZ);
        long pageKb = LIBC.sysconf(NlNative.SC_PAGESIZE) / 1024;
        return (child.vsize() / 1024) + "," + (child.rssPages() * pageKb) + "," + cputime + "," + crashes + ","
                + booted + "," + uptime + "," + child.cpu();
    }

    /** The fields of /proc/PID/stat that the statistics use. */
    record ProcStat(String name, int ppid, long cpuTicks, long startTicks, long vsize, long rssPages, int cpu) {
        /** The wall-clock start time in ms, given the boot time in ms. */
        long startMs(long bootMs) {
            return bootMs + startTicks * (1000 / USER_HZ);
        }

        /**
         * Parses the text of /proc/PID/stat: "pid (comm) state ppid ...". The name ends at the last
         * ')', since a name may itself contain one.
         */
        static ProcStat parse(String text) {
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            if (open < 0 || close < open) {
                return null;
            }
            String[] f = text.substring(close + 1).trim().split("\\s+");
            // f[0] is field 3 (state), so field N is f[N - 3]; task_cpu is field 39.
            if (f.length < 39 - 2) {
                return null;
            }
            try {
                return new ProcStat(text.substring(open + 1, close), Integer.parseInt(f[4 - 3]),
                        Long.parseUnsignedLong(f[14 - 3]) + Long.parseUnsignedLong(f[15 - 3]),
                        Long.parseUnsignedLong(f[22 - 3]), Long.parseUnsignedLong(f[23 - 3]),
                        Long.parseLong(f[24 - 3]), Integer.parseInt(f[39 - 3]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private ProcStat procStat(int pid) {
        String file = "/proc/" + pid + "/stat";
        try {
            ProcStat s = ProcStat.parse(Files.readString(Path.of(file), StandardCharsets.ISO_8859_1));
            if (s == null) {
                warnOnce("stat", file + ": fscanf failed");
            }
            return s;
        } catch (IOException e) {
            warnOnce("stat", file + ": open failed (" + reason(e) + ")");
            return null;
        }
    }

    /** The boot time in ms since the epoch, from /proc/stat's btime (0 if unknown). */
    private long bootTimeMs() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("btime ")) {
                    return leadingNumber(line, 6) * 1000;
                }
            }
            warnOnce("btime", "/proc/stat: btime not found");
        } catch (IOException e) {
            warnOnce("btime", "/proc/stat: open failed (" + reason(e) + ")");
        }
        return 0;
    }

    /**
     * The crash count that a monitor process 'pid' shows in its command line, as "(N crashes ...)"
     * after its name, or 0.
     */
    private int crashCount(int pid) {
        try {
            return crashCount(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
        } catch (IOException e) {
            warnOnce("cmdline", "/proc/" + pid + "/cmdline: open failed (" + reason(e) + ")");
            return 0;
        }
    }

    /** The number after the first '(' of the first argument (within 127 bytes of one line), or 0. */
    static int crashCount(byte[] cmdline) {
        int end = 0;
        while (end < cmdline.length && end < 127 && cmdline[end] != 0 && cmdline[end] != '\n') {
            end++;
        }
        String first = new String(cmdline, 0, end, StandardCharsets.ISO_8859_1);
        int paren = first.indexOf('(');
        if (paren < 0) {
            return 0;
        }
        String rest = first.substring(paren + 1).stripLeading();
        int i = rest.startsWith("-") || rest.startsWith("+") ? 1 : 0;
        while (i < rest.length() && Character.isDigit(rest.charAt(i))) {
            i++;
        }
        try {
            return Integer.parseInt(rest.substring(0, i));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void fileSystems(Map<String, String> stats) {
        String text;
        try {
            text = Files.readString(mtab, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            warnOnce("mtab", mtab + ": open failed (" + reason(e) + ")");
            return;
        }
        StringBuilder s = new StringBuilder();
        ByteBuffer vfs = Native.struct(NlNative.STATVFS_SIZE);
        for (Mount m : Mount.parseAll(text)) {
            // Only local, writable file systems.
            if (!m.device().startsWith("/dev") || !m.options().contains("rw")) {
                continue;
            }
            if (LIBC.statvfs(m.dir(), vfs) != 0) {
                continue;
            }
            long frsize = vfs.getLong(NlNative.STATVFS_FRSIZE);
            long total = Long.divideUnsigned(frsize * vfs.getLong(NlNative.STATVFS_BLOCKS), 1024);
            long free = Long.divideUnsigned(frsize * vfs.getLong(NlNative.STATVFS_BFREE), 1024);
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(m.dir().replace(' ', '_').replace(',', '_')).append(',').append(Long.toUnsignedString(total))
                    .append(',').append(Long.toUnsignedString(total - free));
        }
        if (s.length() > 0) {
            stats.put("file_systems", s.toString());
        }
    }

    /** One line of /etc/mtab (fstab format), with getmntent(3)'s octal escapes decoded. */
    record Mount(String device, String dir, String type, String options) {
        static List<Mount> parseAll(String text) {
            List<Mount> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("[ \t]+");
                if (f.length < 2) {
                    continue;
                }
                out.add(new Mount(unescape(f[0]), unescape(f[1]), f.length > 2 ? unescape(f[2]) : "",
                        f.length > 3 ? unescape(f[3]) : ""));
            }
            return out;
        }

        /** Decodes \040 (space), \011 (tab), \012 (newline), \134 and \\ (backslash), as glibc does. */
        static String unescape(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                String rest = s.substring(i);
                if (rest.startsWith("\\040")) {
                    b.append(' ');
                    i += 3;
                } else if (rest.startsWith("\\011")) {
                    b.append('\t');
                    i += 3;
                } else if (rest.startsWith("\\012")) {
                    b.append('\n');
                    i += 3;
                } else if (rest.startsWith("\\134")) {
                    b.append('\\');
                    i += 3;
                } else if (rest.startsWith("\\\\")) {
                    b.append('\\');
                    i += 1;
                } else {
                    b.append(s.charAt(i));
                }
            }
            return b.toString();
        }
    }

    /** The unsigned decimal after optional blanks at 'from' in 's', as scanf's %u reads it; -1 if none. */
    private static long leadingNumber(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < s.length() && i - start < 18 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start ? Long.parseLong(s.substring(start, i)) : -1;
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e instanceof NoSuchFileException ? "No such file or directory"
                : e instanceof AccessDeniedException ? "Permission denied" : m;
    }

    /** OVS's VLOG_WARN_ONCE: the first message from each 'site' is logged, later ones are not. */
    private void warnOnce(String site, String message) {
        if (warned.add(site)) {
            LOG.warn("{}", message);
        }
    }
}
