package org.jovs.vswitchd.ovsdb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jovs.core.PollLoop;
import org.jovs.core.json.Json;
import org.jovs.core.unixctl.JsonRpcMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory replica of the OVSDB tables and columns the daemon uses, kept current through an
 * RFC 7047 "monitor", with an optional named lock and transactions, as OVS's ovsdb_idl does.
 *
 * <p>On every new connection of its {@link JsonRpcSession} it asks for the lock (if one was set)
 * and starts the monitor; the reply replaces the replica, and each "update" notification then
 * changes only the rows it names. {@link #changeSeqno()} moves on every change, so the owner
 * reconfigures only when something did change. The replica stays readable while disconnected
 * (what was last known), but {@link #isReady()} is false until the new monitor reply arrived.
 *
 * <p>Main-loop contract: {@link #run()} drives the session and applies what arrived, without
 * blocking; {@link #waitFor(PollLoop)} registers the session. Transaction callbacks run from
 * {@link #run()} (or at once from {@link #commit} when disconnected). The Idl owns its session.
 */
public final class Idl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("ovsdb_idl");
    private static final String MONITOR_ID = "jovs";

    /** The outcome of a transaction. */
    public enum TxnStatus {
        SUCCESS,
        /** The connection went away before the answer: the owner should write again later. */
        TRY_AGAIN,
        /** The lock this Idl requires is not held (the "assert" operation failed). */
        NOT_LOCKED,
        ERROR
    }

    /** One replicated row: its UUID and the monitored columns' values in OVSDB JSON notation. */
    public static final class Row {
        private final String uuid;
        private final Map<String, Object> columns;

        Row(String uuid, Map<String, Object> columns) {
            this.uuid = uuid;
            this.columns = columns;
        }

        public String uuid() {
            return uuid;
        }

        /** The raw value of 'column', or null if not monitored; read it with {@link Datum}. */
        public Object get(String column) {
            return columns.get(column);
        }
    }

    /** Operations to commit in one transaction, built by the owner. */
    public static final class Txn {
        private final List<Object> ops = new ArrayList<>();

        /** Sets 'row' (column to value) in the row 'uuid' of 'table'. */
        public Txn update(String table, String uuid, Map<String, Object> row) {
            if (!row.isEmpty()) {
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("op", "update");
                op.put("table", table);
                op.put("where", List.of(List.of("_uuid", "==", Datum.uuid(uuid))));
                op.put("row", row);
                ops.add(op);
            }
            return this;
        }

        public boolean isEmpty() {
            return ops.isEmpty();
        }
    }

    private final JsonRpcSession session;
    private final String database;
    private final Map<String, List<String>> monitored;
    private final Map<String, Map<String, Row>> tables = new HashMap<>();
    private final Map<Object, Consumer<TxnStatus>> pendingTxns = new HashMap<>();
    private String lockName;
    private int sessionSeqno = -1;
    private long nextId = 1;
    private Object monitorRequestId;
    private Object lockRequestId;
    private boolean ready;
    private boolean everConnected;
    private boolean hasLock;
    private boolean lockContended;
    private long changeSeqno;
    /** "table.column" of the columns whose changes alone do not move changeSeqno. */
    private final Set<String> omitAlert = new HashSet<>();

    /**
     * Replicates, from 'database' over 'session', the columns listed per table in 'monitored'
     * (table name to column names).
     */
    public Idl(JsonRpcSession session, String database, Map<String, List<String>> monitored) {
        this.session = session;
        this.database = database;
        this.monitored = monitored;
        for (String t : monitored.keySet()) {
            tables.put(t, new LinkedHashMap<>());
        }
    }

    /**
     * Keeps 'column' of 'table' replicated but makes a change to it alone not move
     * {@link #changeSeqno()}, as OVS's ovsdb_idl_omit_alert(): for the columns the daemon writes
     * itself, whose echo must not set off another reconfiguration.
     */
    public void omitAlert(String table, String column) {
        omitAlert.add(table + "." + column);
    }

    /** Makes this Idl ask for lock 'name' on every connection and guard its writes with it. */
    public void setLock(String name) {
        lockName = name;
    }

    public JsonRpcSession session() {
        return session;
    }

    /** Moves whenever the replica changes, except in columns set aside by {@link #omitAlert}. */
    public long changeSeqno() {
        return changeSeqno;
    }

    /** True once the replica is complete on the current connection. */
    public boolean isReady() {
        return ready && session.isConnected();
    }

    public boolean hasEverConnected() {
        return everConnected;
    }

    /** True while the lock is held by this client. */
    public boolean hasLock() {
        return hasLock && session.isConnected();
    }

    /** True if another client holds the lock we asked for. */
    public boolean isLockContended() {
        return lockContended && session.isConnected();
    }

    /** The rows of 'table' by UUID (read-only), in the order they arrived. */
    public Map<String, Row> table(String name) {
        return Collections.unmodifiableMap(tables.getOrDefault(name, Map.of()));
    }

    public Row row(String table, String uuid) {
        return tables.getOrDefault(table, Map.of()).get(uuid);
    }

    public void run() {
        session.run();
        if (session.seqno() != sessionSeqno) {
            sessionSeqno = session.seqno();
            restart();
        }
        JsonRpcMessage msg;
        while ((msg = session.recv()) != null) {
            handle(msg);
        }
    }

    public void waitFor(PollLoop loop) {
        session.waitFor(loop);
    }

    /**
     * Sends 'txn' and calls 'done' with the outcome: from a later {@link #run()}, or at once with
     * TRY_AGAIN when not connected (or SUCCESS for an empty transaction).
     */
    public void commit(Txn txn, Consumer<TxnStatus> done) {
        if (txn.isEmpty()) {
            done.accept(TxnStatus.SUCCESS);
            return;
        }
        if (!isReady()) {
            done.accept(TxnStatus.TRY_AGAIN);
            return;
        }
        List<Object> params = new ArrayList<>();
        params.add(database);
        if (lockName != null) {
            params.add(Map.of("op", "assert", "lock", lockName));
        }
        params.addAll(txn.ops);
        Object id = nextId++;
        if (session.send(JsonRpcSession.request("transact", params, id))) {
            pendingTxns.put(id, done);
        } else {
            done.accept(TxnStatus.TRY_AGAIN);
        }
    }

    @Override
    public void close() {
        session.close();
        failPendingTxns();
    }

    /** A new connection (or the loss of one): start over on it. */
    private void restart() {
        ready = false;
        hasLock = false;
        lockContended = false;
        monitorRequestId = null;
        lockRequestId = null;
        failPendingTxns();
        if (!session.isConnected()) {
            return;
        }
        everConnected = true;
        if (lockName != null) {
            lockRequestId = nextId++;
            session.send(JsonRpcSession.request("lock", List.of(lockName), lockRequestId));
        }
        Map<String, Object> requests = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : monitored.entrySet()) {
            requests.put(e.getKey(), Map.of("columns", e.getValue()));
        }
        monitorRequestId = nextId++;
        session.send(JsonRpcSession.request("monitor", List.of(database, MONITOR_ID, requests), monitorRequestId));
    }

    private void failPendingTxns() {
        List<Consumer<TxnStatus>> callbacks = new ArrayList<>(pendingTxns.values());
        pendingTxns.clear();
        for (Consumer<TxnStatus> c : callbacks) {
            c.accept(TxnStatus.TRY_AGAIN);
        }
    }

    private void handle(JsonRpcMessage msg) {
        switch (msg.type) {
        case NOTIFY:
            handleNotification(msg);
            break;
        case REPLY:
        case ERROR:
            handleReply(msg);
            break;
        default:
            LOG.debug("{}: ignoring request \"{}\"", session.name(), msg.method);
        }
    }

    private void handleNotification(JsonRpcMessage msg) {
        List<?> params = msg.params;
        switch (msg.method) {
        case "update":
            if (params.size() == 2 && MONITOR_ID.equals(params.get(0)) && params.get(1) instanceof Map<?, ?> updates) {
                applyUpdates(updates, false);
            }
            break;
        case "locked":
            if (isOurLock(params)) {
                hasLock = true;
                lockContended = false;
            }
            break;
        case "stolen":
            if (isOurLock(params)) {
                hasLock = false;
                lockContended = true;
            }
            break;
        default:
            break;
        }
    }

    private boolean isOurLock(List<?> params) {
        return lockName != null && params.size() == 1 && lockName.equals(params.get(0));
    }

    private void handleReply(JsonRpcMessage msg) {
        if (msg.id.equals(monitorRequestId)) {
            monitorRequestId = null;
            if (msg.type == JsonRpcMessage.Type.ERROR || !(msg.result instanceof Map<?, ?> updates)) {
                LOG.error("{}: monitor request failed: {}", session.name(), Json.toString(msg.error));
                session.forceReconnect();
                return;
            }
            applyUpdates(updates, true);
            ready = true;
        } else if (msg.id.equals(lockRequestId)) {
            lockRequestId = null;
            if (msg.result instanceof Map<?, ?> r && r.get("locked") instanceof Boolean locked) {
                hasLock = locked;
                lockContended = !locked;
            }
        } else {
            Consumer<TxnStatus> done = pendingTxns.remove(msg.id);
            if (done != null) {
                done.accept(txnStatus(msg));
            }
        }
    }

    private TxnStatus txnStatus(JsonRpcMessage msg) {
        if (msg.type == JsonRpcMessage.Type.ERROR || !(msg.result instanceof List<?> results)) {
            LOG.warn("{}: transaction error: {}", session.name(), Json.toString(msg.error));
            return TxnStatus.ERROR;
        }
        for (Object r : results) {
            if (r instanceof Map<?, ?> m && m.get("error") != null) {
                if ("not owner".equals(m.get("error"))) {
                    return TxnStatus.NOT_LOCKED;
                }
                LOG.warn("{}: transaction error: {}", session.name(), Json.toString(results));
                return TxnStatus.ERROR;
            }
        }
        return TxnStatus.SUCCESS;
    }

    /** Applies table-updates; 'initial' replaces the whole replica (a monitor reply). */
    private void applyUpdates(Map<?, ?> updates, boolean initial) {
        if (initial) {
            for (Map<String, Row> rows : tables.values()) {
                rows.clear();
            }
        }
        boolean alert = initial;
        for (Map.Entry<?, ?> t : updates.entrySet()) {
            Map<String, Row> rows = tables.get(t.getKey());
            if (rows == null || !(t.getValue() instanceof Map<?, ?> rowUpdates)) {
                continue;
            }
            for (Map.Entry<?, ?> r : rowUpdates.entrySet()) {
                String uuid = (String) r.getKey();
                Object next = r.getValue() instanceof Map<?, ?> u ? u.get("new") : null;
                Row old = rows.get(uuid);
                if (next instanceof Map<?, ?> columns) {
                    Map<String, Object> merged = old == null ? new HashMap<>() : new HashMap<>(old.columns);
                    for (Map.Entry<?, ?> c : columns.entrySet()) {
                        Object was = merged.put((String) c.getKey(), c.getValue());
                        alert |= old == null
                                || (!c.getValue().equals(was) && !omitAlert.contains(t.getKey() + "." + c.getKey()));
                    }
                    rows.put(uuid, new Row(uuid, merged));
                } else {
                    alert |= rows.remove(uuid) != null;
                }
            }
        }
        if (alert) {
            changeSeqno++;
        }
    }
}
