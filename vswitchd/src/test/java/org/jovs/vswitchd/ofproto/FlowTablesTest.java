package org.jovs.vswitchd.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jovs.vswitchd.flow.FlowKey;
import org.junit.jupiter.api.Test;

/** The flow table's OpenFlow semantics, with an injected clock (plain times in ms). */
class FlowTablesTest {
    private final FlowTables tables = new FlowTables();

    private static FlowMatch inPort(int port) {
        return new FlowMatch().setExact(FlowField.IN_PORT, port);
    }

    private static FlowMod mod(FlowMod.Command cmd, FlowMatch m, int priority, int outputTo) {
        return new FlowMod(cmd, FlowTables.ALL_TABLES, m, priority, 0, 0, 0L, 0, 0, OfPorts.NONE, false, false, false,
                List.of(new FlowAction.Output(outputTo, 0)), true);
    }

    private static FlowKey packet(int inPort) {
        FlowKey k = new FlowKey();
        k.inPort = inPort;
        return k;
    }

    @Test
    void higherPriorityWins() throws Exception {
        tables.apply(mod(FlowMod.Command.ADD, new FlowMatch(), 0, OfPorts.NORMAL), 0);
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 100, 2), 0);
        assertEquals(new FlowAction.Output(2, 0), tables.lookup(0, packet(1)).actions.get(0));
        assertEquals(new FlowAction.Output(OfPorts.NORMAL, 0), tables.lookup(0, packet(3)).actions.get(0));
    }

    @Test
    void addOfIdenticalFlowReplacesIt() throws Exception {
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 100, 2), 0);
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 100, 3), 0);
        assertEquals(1, tables.flowCount(0));
        assertEquals(new FlowAction.Output(3, 0), tables.lookup(0, packet(1)).actions.get(0));
    }

    @Test
    void checkOverlapRefusesOverlappingFlowOfSamePriority() throws Exception {
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 100, 2), 0);
        FlowMatch dl = new FlowMatch().setExact(FlowField.DL_TYPE, 0x0800);
        FlowMod overlapping = new FlowMod(FlowMod.Command.ADD, 0, dl, 100, 0, 0, 0L, 0, 0, OfPorts.NONE, false, true,
                false, List.of(), false);
        OfError.OfErrorException e = assertThrows(OfError.OfErrorException.class, () -> tables.apply(overlapping, 0));
        assertEquals(OfError.FLOW_MOD_OVERLAP, e.error);
        // Another priority does not overlap in OpenFlow's sense.
        tables.apply(new FlowMod(FlowMod.Command.ADD, 0, dl, 99, 0, 0, 0L, 0, 0, OfPorts.NONE, false, true, false,
                List.of(), false), 0);
        assertEquals(2, tables.flowCount(0));
    }

    @Test
    void looseDeleteTakesMoreSpecificFlowsStrictOnlyTheSame() throws Exception {
        FlowMatch specific = inPort(1).setExact(FlowField.DL_TYPE, 0x0800);
        tables.apply(mod(FlowMod.Command.ADD, specific, 100, 2), 0);
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 50, 2), 0);
        tables.apply(mod(FlowMod.Command.ADD, inPort(2), 50, 1), 0);
        assertEquals(0, tables.apply(mod(FlowMod.Command.DELETE_STRICT, inPort(1), 100, 0), 0).size());
        assertEquals(1, tables.apply(mod(FlowMod.Command.DELETE_STRICT, inPort(1), 50, 0), 0).size());
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 50, 2), 0);
        List<FlowTables.Removed> gone = tables.apply(mod(FlowMod.Command.DELETE, inPort(1), 0, 0), 0);
        assertEquals(2, gone.size());
        assertEquals(FlowTables.RemovedReason.DELETE, gone.get(0).reason());
        assertEquals(1, tables.flowCount(0));
    }

    @Test
    void deleteHonoursOutPortAndCookieMask() throws Exception {
        tables.apply(new FlowMod(FlowMod.Command.ADD, 0, inPort(1), 1, 0x5, 0, 0x5L, 0, 0, OfPorts.NONE, false, false,
                false, List.of(new FlowAction.Output(2, 0)), false), 0);
        tables.apply(new FlowMod(FlowMod.Command.ADD, 0, inPort(2), 1, 0x6, 0, 0x6L, 0, 0, OfPorts.NONE, false, false,
                false, List.of(new FlowAction.Output(3, 0)), false), 0);
        FlowMod byPort = new FlowMod(FlowMod.Command.DELETE, 0xff, new FlowMatch(), 0, 0, 0, null, 0, 0, 3, false,
                false, false, List.of(), false);
        assertEquals(6, tables.apply(byPort, 0).get(0).entry().cookie);
        FlowMod byCookie = new FlowMod(FlowMod.Command.DELETE, 0xff, new FlowMatch(), 0, 0x4, -1, null, 0, 0,
                OfPorts.NONE, false, false, false, List.of(), false);
        assertEquals(0, tables.apply(byCookie, 0).size());
        assertEquals(1, tables.flowCount(0));
    }

    @Test
    void modifyKeepsCountersAndAddsWhenMissingOnlyInOpenFlow10() throws Exception {
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 100, 2), 0);
        FlowEntry e = tables.lookup(0, packet(1));
        e.hit(60, 5);
        tables.apply(mod(FlowMod.Command.MODIFY, inPort(1), 0, 7), 10);
        assertSame(e, tables.lookup(0, packet(1)));
        assertEquals(1, e.packets);
        assertEquals(new FlowAction.Output(7, 0), e.actions.get(0));
        FlowMod of13 = new FlowMod(FlowMod.Command.MODIFY, 0, inPort(9), 0, 0, 0, null, 0, 0, OfPorts.NONE, false,
                false, false, List.of(), false);
        tables.apply(of13, 10);
        assertNull(tables.lookup(0, packet(9)));
        tables.apply(mod(FlowMod.Command.MODIFY_STRICT, inPort(9), 3, 1), 10);
        assertEquals(3, tables.lookup(0, packet(9)).priority);
    }

    @Test
    void idleAndHardTimeoutsExpire() throws Exception {
        tables.apply(new FlowMod(FlowMod.Command.ADD, 0, inPort(1), 1, 0, 0, 0L, 2, 0, OfPorts.NONE, true, false, false,
                List.of(), false), 1000);
        tables.apply(new FlowMod(FlowMod.Command.ADD, 0, inPort(2), 1, 0, 0, 0L, 0, 5, OfPorts.NONE, false, false,
                false, List.of(), false), 1000);
        assertEquals(3000, tables.nextExpiry());
        tables.lookup(0, packet(1)).hit(10, 2500);
        assertEquals(0, tables.expire(4000).size());
        List<FlowTables.Removed> idle = tables.expire(4500);
        assertEquals(FlowTables.RemovedReason.IDLE_TIMEOUT, idle.get(0).reason());
        assertEquals(FlowTables.RemovedReason.HARD_TIMEOUT, tables.expire(6000).get(0).reason());
        assertEquals(Long.MAX_VALUE, tables.nextExpiry());
    }

    @Test
    void badTableIsRefused() {
        FlowMod m = new FlowMod(FlowMod.Command.ADD, 300, new FlowMatch(), 0, 0, 0, 0L, 0, 0,
                OfPorts.NONE, false, false, false, List.of(), false);
        assertEquals(OfError.FLOW_MOD_BAD_TABLE_ID,
                assertThrows(OfError.OfErrorException.class, () -> tables.apply(m, 0)).error);
    }

    @Test
    void addToTheReadOnlyTableIsRefused() throws Exception {
        FlowMod add = new FlowMod(FlowMod.Command.ADD, FlowTables.READ_ONLY_TABLE, new FlowMatch(), 0, 0, 0, 0L, 0,
                0, OfPorts.NONE, false, false, false, List.of(), false);
        assertEquals(OfError.BAD_REQUEST_EPERM,
                assertThrows(OfError.OfErrorException.class, () -> FlowTables.check(add)).error);
        // Deleting there selects nothing and is no error.
        FlowMod delete = new FlowMod(FlowMod.Command.DELETE, FlowTables.READ_ONLY_TABLE, new FlowMatch(), 0, 0, 0,
                null, 0, 0, OfPorts.NONE, false, false, false, List.of(), false);
        assertEquals(0, tables.apply(delete, 0).size());
    }

    /** What the tables hold, in order, as text: the state an undo must give back exactly. */
    private String dump() {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < FlowTables.N_TABLES; t++) {
            for (FlowEntry e : tables.table(t)) {
                sb.append(t).append(' ').append(e.priority).append(' ').append(e.match).append(' ')
                        .append(e.cookie).append(' ').append(e.actions).append(' ').append(e.packets).append(' ')
                        .append(e.modified).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void undoTakesBackAddsReplacementsModifiesAndDeletesInOrder() throws Exception {
        tables.apply(mod(FlowMod.Command.ADD, inPort(1), 100, 2), 0);
        tables.apply(mod(FlowMod.Command.ADD, inPort(2), 100, 3), 0);
        tables.apply(mod(FlowMod.Command.ADD, inPort(3), 50, 4), 0);
        tables.lookup(0, packet(1)).hit(60, 1);
        String before = dump();
        FlowTables.Undo undo = new FlowTables.Undo();
        tables.apply(mod(FlowMod.Command.ADD, inPort(4), 75, 5), 10, undo);
        tables.apply(mod(FlowMod.Command.ADD, inPort(2), 100, 6), 10, undo);
        FlowMod resetting = new FlowMod(FlowMod.Command.MODIFY, 0xff, inPort(1), 0, 0, 0, 0x9L, 0, 0, OfPorts.NONE,
                false, false, true, List.of(new FlowAction.Output(7, 0)), false);
        tables.apply(resetting, 10, undo);
        tables.apply(mod(FlowMod.Command.DELETE, new FlowMatch(), 0, 0), 10, undo);
        tables.apply(mod(FlowMod.Command.ADD, inPort(3), 50, 8), 10, undo);
        assertEquals(1, tables.flowCount(0));
        undo.revert();
        assertEquals(before, dump());
        assertEquals(1, tables.lookup(0, packet(1)).packets, "the counters the modify reset are back");
        // Once reverted, there is nothing left to undo.
        undo.revert();
        assertEquals(before, dump());
    }
}
