package org.jovs.vswitchd.bridge;

import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jovs.core.TimeVal;
import org.jovs.core.unixctl.UnixctlConnection;
import org.jovs.core.unixctl.UnixctlServer;
import org.jovs.vswitchd.dpif.PortSender;
import org.jovs.vswitchd.normal.MacLearningTable;
import org.jovs.vswitchd.normal.NormalSwitch;

/**
 * The unixctl commands on the bridges' MAC learning tables, with the replies and errors of OVS
 * 3.1's ofproto-dpif: fdb/show, fdb/flush, fdb/stats-show and fdb/stats-clear. Registered by
 * {@link Switch}; run on the main thread.
 */
final class FdbCommands {
    private FdbCommands() {
    }

    static void register(UnixctlServer server, Function<String, Bridge> lookup, Supplier<Collection<Bridge>> all) {
        server.register("fdb/flush", "[bridge]", 0, 1, (conn, args) -> {
            if (forBridges(conn, args.isEmpty() ? null : args.get(0), lookup, all, MacLearningTable::flush)) {
                conn.reply("table successfully flushed");
            }
        });
        server.register("fdb/show", "bridge", 1, 1, (conn, args) -> {
            Bridge br = lookup.apply(args.get(0));
            if (br == null) {
                conn.replyError("no such bridge");
            } else {
                conn.reply(show(br.macs(), TimeVal.msec() / 1000));
            }
        });
        server.register("fdb/stats-clear", "[bridge]", 0, 1, (conn, args) -> {
            if (forBridges(conn, args.isEmpty() ? null : args.get(0), lookup, all,
                    MacLearningTable::clearStatistics)) {
                conn.reply("statistics successfully cleared");
            }
        });
        server.register("fdb/stats-show", "bridge", 1, 1, (conn, args) -> {
            Bridge br = lookup.apply(args.get(0));
            if (br == null) {
                conn.replyError("no such bridge");
            } else {
                conn.reply(statsShow(args.get(0), br.macs()));
            }
        });
    }

    /** Applies 'action' to bridge 'name', or to every bridge if null; false (error sent) if there is no such bridge. */
    private static boolean forBridges(UnixctlConnection conn, String name, Function<String, Bridge> lookup,
            Supplier<Collection<Bridge>> all, Consumer<MacLearningTable> action) {
        if (name != null) {
            Bridge br = lookup.apply(name);
            if (br == null) {
                conn.replyError("no such bridge");
                return false;
            }
            action.accept(br.macs());
        } else {
            all.get().forEach(br -> action.accept(br.macs()));
        }
        return true;
    }

    /** fdb/show's table: one line per entry, least recently learned first. */
    static String show(MacLearningTable macs, long nowSec) {
        StringBuilder sb = new StringBuilder(" port  VLAN  MAC                Age\n");
        macs.forEach(e -> sb.append(String.format("%5s  %4d  %s  %3d\n",
                e.port() == PortSender.OFPP_LOCAL ? "LOCAL" : Integer.toString(e.port()), e.vlan(),
                NormalSwitch.macString(e.mac()), macs.age(e, nowSec))));
        return sb.toString();
    }

    static String statsShow(String bridge, MacLearningTable macs) {
        return "Statistics for bridge \"" + bridge + "\":\n"
                + "  Current/maximum MAC entries in the table: " + macs.size() + "/" + macs.maxEntries() + "\n"
                + "  Current static MAC entries in the table : 0\n"
                + "  Total number of learned MAC entries     : " + macs.totalLearned() + "\n"
                + "  Total number of expired MAC entries     : " + macs.totalExpired() + "\n"
                + "  Total number of evicted MAC entries     : " + macs.totalEvicted() + "\n"
                + "  Total number of port moved MAC entries  : " + macs.totalMoved() + "\n";
    }
}
