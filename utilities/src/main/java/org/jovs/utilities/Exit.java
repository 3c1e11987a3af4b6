package org.jovs.utilities;

/**
 * Thrown to end the program with 'status' once everything it had to say has been written: the
 * equivalent of OVS's exit() calls deep inside option handlers and error paths. Only the main
 * method catches it.
 */
final class Exit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    Exit(int status) {
        super(null, null, false, false);
        this.status = status;
    }
}
