#!/bin/bash
# bench/config/run.sh: how long `ovs-vsctl add-port` takes to return (that is, until the daemon has
# applied the change and cur_cfg caught up), for 1 port and for 200 internal ports added one by
# one, with the real ovs-vswitchd and with ours, in one run. Each daemon gets its own
# ovsdb-server, run directory and network namespace; everything is removed at the end.
#
# usage: bench/config/run.sh [N [REPS]]   (N internal ports, default 200; the single port is added
#                                          and removed REPS times, default 15; run as root after
#                                          building with mvn -B -q install -DskipTests)
set -euo pipefail
N=${1:-200}
REPS=${2:-15}
top=$(cd "$(dirname "$0")/../.." && pwd)
ours=$top/vswitchd/ovs-vswitchd
real=/usr/sbin/ovs-vswitchd
work=$(mktemp -d /tmp/jovs-bench-config.XXXXXX)
tag=$(basename "$work" | tr -dc 'A-Za-z0-9' | tail -c 8)

cleanup() {
    for side in real ours; do
        for pidfile in "$work/$side"/*.pid; do
            [ -f "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
        done
        ip netns del "jovs-bench-$side-$tag" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

# start SIDE DAEMON: a fresh database, its server, and the daemon in the side's namespace.
start() {
    local side=$1 daemon=$2 dir=$work/$1 ns=jovs-bench-$1-$tag
    mkdir -p "$dir"
    ip netns add "$ns"
    export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir
    ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ovsdb-server --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" --log-file="$dir/ovsdb-server.log" --detach "$dir/conf.db"
    ovs-vsctl --db=unix:"$dir/db.sock" --no-wait init
    ip netns exec "$ns" "$daemon" unix:"$dir/db.sock" --pidfile="$dir/ovs-vswitchd.pid" \
        --log-file="$dir/ovs-vswitchd.log" --detach
    ovs-vsctl --timeout=30 --db=unix:"$dir/db.sock" add-br br0 -- set bridge br0 datapath_type=netdev
}

# add SIDE NAME: adds internal port NAME and prints how long ovs-vsctl took, in ms.
add() {
    local dir=$work/$1 t0 t1
    t0=$(now_ms)
    ovs-vsctl --timeout=30 --db=unix:"$dir/db.sock" add-port br0 "$2" -- set interface "$2" type=internal
    t1=$(now_ms)
    echo $((t1 - t0))
}

del() {
    ovs-vsctl --timeout=30 --db=unix:"$work/$1/db.sock" del-port br0 "$2"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

start real "$real"
start ours "$ours"

# The two sides take turns, one command each, so that a change in the machine's load (it is
# shared) falls on both alike. One port: REPS times add-port then del-port, median of the adds.
: > "$work/one.real"; : > "$work/one.ours"
for r in $(seq 1 "$REPS"); do
    for side in real ours; do
        add $side "one$r" >> "$work/one.$side"
        del $side "one$r"
    done
done
real_one=$(median < "$work/one.real")
ours_one=$(median < "$work/one.ours")

# N ports one by one: the sum over all adds.
real_many=0; ours_many=0
for i in $(seq 1 "$N"); do
    real_many=$((real_many + $(add real "p$i")))
    ours_many=$((ours_many + $(add ours "p$i")))
done
for side in real ours; do
    [ "$(ovs-vsctl --db=unix:"$work/$side/db.sock" get interface "p$N" ofport)" != "-1" ] \
        || { echo "$side: p$N has no port number" >&2; exit 1; }
done

printf '%-32s %12s %12s %8s\n' "add-port until it returns" "real (ms)" "jovs (ms)" "ratio"
printf '%-32s %12d %12d %8s\n' "1 internal port (median of $REPS)" "$real_one" "$ours_one" "$(ratio "$ours_one" "$real_one")"
printf '%-32s %12d %12d %8s\n' "$N internal ports, one by one" "$real_many" "$ours_many" "$(ratio "$ours_many" "$real_many")"
