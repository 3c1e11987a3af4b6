#!/bin/sh
# Netlink benchmark: lib-netlink against a C reference (nlbench.c, built here with gcc -O2) doing
# the same exchanges.
#
# Reports:
#  - the round-trip time of a generic netlink transaction (nlctrl CTRL_CMD_GETFAMILY with an ACK),
#    Java NlSocket vs C: median and p99, Java/C ratio of the medians (target <= 1.3);
#  - the same transaction through the worker (NlWorkerExecutor + a worker JVM, waited for by a
#    PollLoop main loop), and its ratio to C;
#  - link dumps per second (every link parsed) with 1,000 veth links in a private network
#    namespace, Java Rtnetlink.dumpLinks() vs C, Java/C ratio (target >= 0.8).
# The C and Java programs run alternately, $RUNS times each, and each side's best run counts: on a
# shared machine the load comes and goes, and the best run is the least disturbed one. Java warms
# up until its timings settle (see NetlinkBench).
#
# Usage: bench/netlink/run.sh [rtt_count] [dump_count] [runs]      (as root)
set -eu
cd "$(dirname "$0")/../.."
RTT_N=${1:-50000}
DUMP_N=${2:-500}
RUNS=${3:-5}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/netlink-bench.XXXXXX")
NS="jovs-bench-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (mvn test-compile, gcc -O2)..."
mvn -B -q -pl lib-netlink -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >"$OUT/mvn.log" 2>&1 \
    || { cat "$OUT/mvn.log"; exit 1; }
CP="lib-netlink/target/test-classes:lib-netlink/target/classes:lib-worker/target/classes:lib-core/target/classes"
CP="$CP:$(cat "$OUT/cp.txt")"
gcc -O2 -Wall -o "$OUT/nlbench" bench/netlink/nlbench.c

# $1 = "" or "ip netns exec NS"; the rest: mode and count.
c_run() {
    pfx=$1; shift
    $pfx "$OUT/nlbench" "$@"
}
java_run() {
    pfx=$1; shift
    # The worker JVM logs to stderr; keep that out of the results.
    $pfx java -cp "$CP" org.jovs.netlink.NetlinkBench "$@" 2>>"$OUT/java.log"
}
# The best line of file $3: the one with the lowest (low) or highest (high) field $2.
pick() {
    if [ "$1" = low ]; then sort -k"$2,$2"g "$3" | head -1; else sort -k"$2,$2"g "$3" | tail -1; fi
}
# Runs the commands "$1 ARGS" and "$2 ARGS" (ARGS = $3...) alternately, $RUNS times each,
# appending their output lines to $OUT/first and $OUT/second.
alternate() {
    first=$1 second=$2
    shift 2
    : >"$OUT/first"
    : >"$OUT/second"
    i=0
    while [ $i -lt $RUNS ]; do
        $first "$@" >>"$OUT/first"
        $second "$@" >>"$OUT/second"
        i=$((i + 1))
    done
}
field() {
    echo "$1" | awk -v f="$2" '{ print $f }'
}
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
verdict() {
    # $1 value, $2 op (le/ge), $3 target
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = op == "le" ? v <= t : v >= t;
        printf "%s (target %s %s)", ok ? "met" : "NOT met", op == "le" ? "<=" : ">=", t }'
}

echo "system: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

c_local() { c_run "" "$@"; }
java_local() { java_run "" "$@"; }
alternate c_local java_local rtt "$RTT_N"
c_rtt=$(pick low 2 "$OUT/first")
j_rtt=$(pick low 2 "$OUT/second")
i=0
while [ $i -lt $RUNS ]; do
    java_local rtt-worker "$RTT_N"
    i=$((i + 1))
done >"$OUT/worker"
w_rtt=$(pick low 2 "$OUT/worker")
printf "%-46s %10s %10s %10s\n" "genl GETFAMILY round trip ($RTT_N, us, best of $RUNS)" "median" "p99" "Java/C"
printf "%-46s %10s %10s %10s\n" "  C, one socket" "$(field "$c_rtt" 2)" "$(field "$c_rtt" 3)" ""
j_ratio=$(ratio "$(field "$j_rtt" 2)" "$(field "$c_rtt" 2)")
printf "%-46s %10s %10s %10s\n" "  Java NlSocket, direct" "$(field "$j_rtt" 2)" "$(field "$j_rtt" 3)" "$j_ratio"
printf "%-46s %10s %10s %10s\n" "  Java through the worker (PollLoop main loop)" "$(field "$w_rtt" 2)" \
    "$(field "$w_rtt" 3)" "$(ratio "$(field "$w_rtt" 2)" "$(field "$c_rtt" 2)")"
echo "  direct: $(verdict "$j_ratio" le 1.3)"
echo

echo "creating 1,000 veth links (500 pairs) in network namespace $NS..."
ip netns add "$NS"
i=0
while [ $i -lt 500 ]; do
    echo "link add vb$i type veth peer name vc$i"
    i=$((i + 1))
done >"$OUT/links.batch"
ip -n "$NS" -batch "$OUT/links.batch"
links=$(ip -n "$NS" -o link show | wc -l)
echo "  $links links (with lo)"
c_ns() { c_run "ip netns exec $NS" "$@"; }
java_ns() { java_run "ip netns exec $NS" "$@"; }
alternate c_ns java_ns dump "$DUMP_N"
c_dump=$(pick high 3 "$OUT/first")
j_dump=$(pick high 3 "$OUT/second")
[ "$(field "$c_dump" 2)" = "$links" ] && [ "$(field "$j_dump" 2)" = "$links" ] \
    || { echo "dumps saw $(field "$c_dump" 2) (C) and $(field "$j_dump" 2) (Java) links, not $links"; exit 1; }
printf "%-46s %10s %10s\n" "link dump, $links links ($DUMP_N dumps, best of $RUNS)" "dumps/s" "Java/C"
printf "%-46s %10s %10s\n" "  C" "$(field "$c_dump" 3)" ""
d_ratio=$(ratio "$(field "$j_dump" 3)" "$(field "$c_dump" 3)")
printf "%-46s %10s %10s\n" "  Java Rtnetlink.dumpLinks()" "$(field "$j_dump" 3)" "$d_ratio"
echo "  dump: $(verdict "$d_ratio" ge 0.8)"
