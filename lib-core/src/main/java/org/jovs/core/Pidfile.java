package org.jovs.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.jovs.core.natives.FileLock;
import org.jovs.core.natives.Native;
import org.jovs.core.natives.NativeException;

/**
 * An OVS pidfile: the daemon's pid followed by a newline, in a file on which the daemon holds an
 * fcntl write lock for as long as it runs. A pidfile that nobody has locked is stale. The
 * pid in the file must match the lock holder, because {@code ovs-appctl} checks both.
 *
 * <p>The file is written under a temporary name and renamed into place, so readers never see
 * it half written. Only the process that created it removes it ({@link #close()}); the worker
 * process never does (OVS bug #16669).
 */
public final class Pidfile implements AutoCloseable {
    private final Path path;
    private final int fd;
    private boolean removed;

    private Pidfile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Creates and locks the pidfile at 'path'. Unless 'overwrite', fails if a live process holds
     * it, with OVS's message "PATH: already running as pid N, aborting".
     */
    public static Pidfile create(String path, boolean overwrite) throws IOException {
        if (!overwrite) {
            int running = runningPid(path);
            if (running > 0) {
                throw new IOException(path + ": already running as pid " + running + ", aborting");
            }
        }
        int pid = Native.libc().getpid();
        String tmp = path + ".tmp" + pid;
        int fd = Native.libc().open(tmp, Native.O_WRONLY | Native.O_CREAT | Native.O_CLOEXEC, 0644);
        if (fd < 0) {
            throw new IOException(tmp + ": create failed (" + Native.strerror(Native.errno()) + ")");
        }
        try {
            try {
                FileLock.lockWrite(fd);
            } catch (NativeException e) {
                throw new IOException(tmp + ": fcntl(F_SETLK) failed (" + Native.strerror(e.errno()) + ")");
            }
            byte[] text = (pid + "\n").getBytes(StandardCharsets.US_ASCII);
            if (Native.libc().ftruncate(fd, 0) < 0 || Native.libc().write(fd, text, text.length) != text.length) {
                throw new IOException(tmp + ": write failed (" + Native.strerror(Native.errno()) + ")");
            }
            try {
                Files.move(Path.of(tmp), Path.of(path), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new IOException("failed to rename \"" + tmp + "\" to \"" + path + "\" (" + e.getMessage() + ")");
            }
            return new Pidfile(Path.of(path), fd);
        } catch (IOException e) {
            Native.closeQuietly(fd);
            try {
                Files.deleteIfExists(Path.of(tmp));
            } catch (IOException ignored) {
                // The original error matters more.
            }
            throw e;
        }
    }

    /**
     * The pid of the live process that holds the pidfile at 'path', or 0 if there is none (no file,
     * or a stale one) or the holder is not the pid the file names.
     */
    public static int runningPid(String path) throws IOException {
        int fd = Native.libc().open(path, Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            int err = Native.errno();
            if (err == Native.ENOENT) {
                return 0;
            }
            throw new IOException(path + ": pidfile check failed (" + Native.strerror(err) + "), aborting");
        }
        try {
            int holder = FileLock.lockHolder(fd);
            if (holder == 0) {
                return 0;
            }
            String text;
            try {
                text = Files.readString(Path.of(path), StandardCharsets.US_ASCII).trim();
            } catch (NoSuchFileException e) {
                return 0;
            }
            return text.equals(Integer.toString(holder)) ? holder : 0;
        } finally {
            Native.closeQuietly(fd);
        }
    }

    public Path path() {
        return path;
    }

    /** Removes the pidfile and releases the lock. */
    @Override
    public void close() {
        if (!removed) {
            removed = true;
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Leaves a stale, unlocked pidfile, which readers treat as absent.
            }
            Native.closeQuietly(fd);
        }
    }
}
