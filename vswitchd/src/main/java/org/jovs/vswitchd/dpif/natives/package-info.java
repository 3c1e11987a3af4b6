/** The libc binding of the datapath's packet I/O (JNR-FFI, declared once). */
package org.jovs.vswitchd.dpif.natives;
