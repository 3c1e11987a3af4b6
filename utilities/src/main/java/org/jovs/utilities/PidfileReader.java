package org.jovs.utilities;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a daemon's pidfile as OVS's read_pidfile() does, with its warnings and errors, since
 * ovs-appctl prints both: the pid counts only if the process that holds the file's fcntl lock
 * is the one the file names. A file nobody has locked is stale (ESRCH), as is one locked by
 * another process, which is then about to delete it.
 *
 * <p>The file is opened for reading and writing, as OVS opens it with fopen("r+"), so that
 * permissions fail the same way; it is never written or locked. Blocks only on file reads.
 */
final class PidfileReader {
    /** As much of the first line as OVS's fgets() into a 128-byte buffer reads. */
    private static final int MAX_LINE = 127;

    private PidfileReader() {
    }

    /** The pid of the live daemon that owns the pidfile at 'path'; logs to 'vlog' as OVS does. */
    static long read(String path, Vlog vlog) throws ErrnoException {
        FileChannel file;
        try {
            file = FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw failure(vlog, path + ": open: ", e);
        }
        try {
            long holder;
            try {
                holder = lockHolder(Path.of(path));
            } catch (IOException e) {
                throw failure(vlog, path + ": fcntl: ", e);
            }
            if (holder == ProcLocks.NONE) {
                vlog.dbg("daemon_unix", path + ": pid file is stale");
                throw new ErrnoException(ErrnoException.ESRCH);
            }
            String line;
            try {
                line = firstLine(file);
            } catch (IOException e) {
                throw failure(vlog, path + ": read: ", e);
            }
            if (line == null) {
                vlog.warn("daemon_unix", path + ": read: unexpected end of file");
                throw new ErrnoException(ErrnoException.ESRCH);
            }
            if (holder != strtoul(line)) {
                vlog.warn("daemon_unix", path + ": stale pidfile for pid " + line + " being deleted by pid " + holder);
                throw new ErrnoException(ErrnoException.ESRCH);
            }
            return holder;
        } finally {
            closeQuietly(file);
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            // Nothing was written; OVS ignores fclose()'s result too.
        }
    }

    /** Logs 'prefix' and the error text of 'e' as a warning; the error to throw. */
    private static ErrnoException failure(Vlog vlog, String prefix, IOException e) {
        String text = Vlog.errorText(e);
        vlog.warn("daemon_unix", prefix + text);
        return new ErrnoException(text);
    }

    private static long lockHolder(Path path) throws IOException {
        long dev = (Long) Files.getAttribute(path, "unix:dev");
        long ino = (Long) Files.getAttribute(path, "unix:ino");
        return ProcLocks.holder(Files.readString(Path.of("/proc/locks")), dev, ino);
    }

    /**
     * The first line, new-line included, as a C string (up to 127 bytes, cut at a NUL), or null
     * if the file is empty: what fgets() into a 128-byte buffer gives.
     */
    private static String firstLine(FileChannel file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_LINE);
        while (buf.hasRemaining() && file.read(buf) > 0) {
            // Reads until the buffer is full or the file ends.
        }
        if (buf.position() == 0) {
            return null;
        }
        byte[] b = buf.array();
        int end = 0;
        while (end < buf.position() && b[end] != 0) {
            if (b[end++] == '\n') {
                break;
            }
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** C's strtoul(s, NULL, 10) as a 64-bit pattern: leading space, sign, digits; 0 if none. */
    static long strtoul(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i++) == '-';
        }
        long value = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                return -1L;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
