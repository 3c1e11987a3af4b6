#!/bin/sh
# Worker RPC benchmark: lib-worker's WorkerClient (main JVM + worker JVM) against a C reference
# (rpc.c: fork + socketpair) doing the same exchanges with the same 24-byte header.
#
# Reports: RTT of a 64-byte request with a 64-byte reply (median and p99, unpinned and with both
# processes on one CPU), throughput of fire-and-forget 100-byte requests, and the main thread's
# cost per such request. Ratios are Java/C for RTT (lower is better) and Java/C for throughput
# (higher is better).
#
# Usage: bench/worker-rpc/run.sh [rtt_count] [tput_count]
set -eu
cd "$(dirname "$0")/../.."
RTT_N=${1:-50000}
TPUT_N=${2:-2000000}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/worker-rpc.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

echo "building (mvn test-compile, gcc -O2)..."
mvn -B -q -pl lib-worker -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >"$OUT/mvn.log" 2>&1 \
    || { cat "$OUT/mvn.log"; exit 1; }
CP="lib-worker/target/test-classes:lib-worker/target/classes:lib-core/target/classes:$(cat "$OUT/cp.txt")"
gcc -O2 -Wall -o "$OUT/rpc" bench/worker-rpc/rpc.c

java_bench() {
    # The worker JVMs log to stderr; keep that out of the results.
    java -cp "$CP" org.jovs.worker.WorkerRpcBench "$@" 2>>"$OUT/java.log"
}
field() {
    echo "$1" | awk -v f="$2" '{ print $f }'
}
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

echo "system: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1)"
echo

rtt_row() {
    # $1 label, $2 taskset prefix (or empty), $3 Java mode
    c=$($2 "$OUT/rpc" rtt "$RTT_N")
    j=$($2 java -cp "$CP" org.jovs.worker.WorkerRpcBench "$3" "$RTT_N" 2>>"$OUT/java.log")
    printf "%-40s %9s %9s %9s %9s %11s\n" "$1" "$(field "$c" 2)" "$(field "$c" 3)" \
        "$(field "$j" 2)" "$(field "$j" 3)" "$(ratio "$(field "$j" 2)" "$(field "$c" 2)")"
}
printf "%-40s %9s %9s %9s %9s %11s\n" "RTT, 64-byte request + reply (us)" "C median" "C p99" "Java med" "Java p99" "Java/C med"
rtt_row "  main loop = PollLoop, unpinned" "" rtt
rtt_row "  main loop = PollLoop, both on CPU 0" "taskset -c 0" rtt
rtt_row "  bare poll(2), unpinned" "" rtt-raw
rtt_row "  bare poll(2), both on CPU 0" "taskset -c 0" rtt-raw
j_block=$(java_bench block 100000)
echo "  (C waits in poll(2) then read(2), like a main loop; one PollLoop.block() alone costs $(field "$j_block" 2) ns)"
echo

c_tp=$("$OUT/rpc" tput "$TPUT_N")
c_tpb=$("$OUT/rpc" tput-batch "$TPUT_N")
j_tp=$(java_bench tput "$TPUT_N")
printf "%-34s %14s %10s %12s\n" "fire-and-forget 100-byte requests" "msgs/s" "MB/s" "Java/C"
printf "%-34s %14s %10s %12s\n" "  C, one write() per request" "$(field "$c_tp" 2)" "$(field "$c_tp" 3)" ""
printf "%-34s %14s %10s %12s\n" "  C, 64 KiB batched writes" "$(field "$c_tpb" 2)" "$(field "$c_tpb" 3)" ""
printf "%-34s %14s %10s %12s\n" "  Java WorkerClient" "$(field "$j_tp" 2)" "$(field "$j_tp" 3)" \
    "$(ratio "$(field "$j_tp" 2)" "$(field "$c_tp" 2)") / $(ratio "$(field "$j_tp" 2)" "$(field "$c_tpb" 2)")"
echo "  (Java/C: against one write() per request / against batched writes; MB/s counts payload bytes)"
echo "  Java CPU per request: worker process $(field "$j_tp" 4) ns, main process $(field "$j_tp" 5) ns (all threads)"
echo

j_cost=$(java_bench cost 100000)
echo "main-thread cost of request(), 100-byte fire-and-forget: $(field "$j_cost" 2) ns (median of 11 batches of 100000)"
