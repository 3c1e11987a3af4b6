/**
 * The OVSDB client (RFC 7047 JSON-RPC over unix: and tcp: streams), as OVS's jsonrpc, reconnect
 * and ovsdb-idl modules: {@link org.jovs.vswitchd.ovsdb.JsonRpcSession} keeps a connection up with
 * back-off, {@link org.jovs.vswitchd.ovsdb.Idl} replicates the monitored tables, holds a lock and
 * commits transactions. Everything runs on the main loop through run()/waitFor() and never blocks.
 */
package org.jovs.vswitchd.ovsdb;
