package org.jovs.utilities;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output and error of a command-line program, written as UTF-8 bytes whatever the
 * locale (OVS programs pass strings through as bytes, and servers send UTF-8), plus OVS's
 * ovs_error()/ovs_fatal() message format "PROGRAM: message (error text)".
 *
 * <p>Standard output is buffered until {@link #flush()}; standard error is written at once, as
 * C's stderr is unbuffered. Write errors are ignored, as OVS does.
 */
final class Console {
    /** The program name in messages: the basename of argv[0], less a libtool "lt-" prefix. */
    final String programName;
    /** argv[0] as given, which getopt's messages start with. */
    final String argv0;
    private final OutputStream out;
    private final OutputStream err;
    private final StringBuilder pendingOut = new StringBuilder();

    Console(String argv0, OutputStream out, OutputStream err) {
        String base = argv0.substring(argv0.lastIndexOf('/') + 1);
        this.programName = base.startsWith("lt-") ? base.substring(3) : base;
        this.argv0 = argv0;
        this.out = out;
        this.err = err;
    }

    /** The process's own standard output and error. */
    static Console system(String argv0) {
        return new Console(argv0, new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }

    void print(String s) {
        pendingOut.append(s);
    }

    void printError(String s) {
        write(err, s);
    }

    /** ovs_error(): "PROGRAM: message", with " (errorText)" unless 'errorText' is null. */
    void error(String errorText, String message) {
        printError(programName + ": " + message + (errorText != null ? " (" + errorText + ")" : "") + "\n");
    }

    /** ovs_fatal(): ovs_error(), then exit status 1. */
    Exit fatal(String errorText, String message) {
        error(errorText, message);
        return new Exit(1);
    }

    void flush() {
        if (pendingOut.length() > 0) {
            write(out, pendingOut.toString());
            pendingOut.setLength(0);
        }
    }

    private static void write(OutputStream s, String text) {
        try {
            s.write(text.getBytes(StandardCharsets.UTF_8));
            s.flush();
        } catch (IOException e) {
            // Like fputs() to a closed pipe: nothing useful to do.
        }
    }
}
