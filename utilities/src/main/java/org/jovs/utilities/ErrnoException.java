package org.jovs.utilities;

/**
 * A failure that OVS reports as a positive errno value or EOF; the message is the text
 * ovs_retval_to_string() gives for it (strerror(), or "End of file"), which is what appears in
 * parentheses after OVS's error messages.
 */
final class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;

    static final String EOF = "End of file";
    static final String ESRCH = "No such process";
    static final String EINVAL = "Invalid argument";
    static final String EPROTO = "Protocol error";
    static final String ENAMETOOLONG = "File name too long";

    ErrnoException(String text) {
        super(text, null, false, false);
    }
}
