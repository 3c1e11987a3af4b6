/**
 * lib-netlink's JNR-FFI binding: the libc socket, ioctl and setns calls, the Linux constants and
 * struct sizes they need, loaded once. Nothing outside lib-netlink should use it.
 */
package org.jovs.netlink.natives;
