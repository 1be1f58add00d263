#!/usr/bin/env bash
# Instructions swift-mpi adds per call, counted by valgrind's callgrind. Each
# mode runs at two iteration counts on one rank that messages itself (nothing
# in the counted loop waits for another process, so the counts repeat; the
# load average is printed and recorded all the same, and C and Swift are
# compared within one run). The instructions per extra iteration are the cost
# of one call. Swift (mpi-callcost) is compared with C (mpi-callcost-c) making
# the same MPI calls.
#
#   Benchmarks/scripts/callgrind.sh [.build/release]
#
# Writes $out/per-call.json (c, swift, added per row; for the request set also
# per request) and $out/per-call.md, the README's table. Each run's callgrind
# output stays in $out/PROGRAM-MODE-ITERATIONS/cg.0.out (rank 0), for
# `callgrind_annotate --inclusive=yes`.
set -euo pipefail
products=${1:-.build/release}
out=${CALLGRIND_OUT:-bench-results/callgrind}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_base_warn_component_unused=0 \
    OMPI_MCA_rmaps_base_oversubscribe=1

# The total instructions counted for PROGRAM MODE ITERATIONS at RANKS ranks (rank 0's).
count() {
    local program=$1 mode=$2 iterations=$3 ranks=$4
    local dir="$out/$(basename "$program")-$mode-$iterations"
    rm -rf "$dir" && mkdir -p "$dir"
    timeout -k 5 600 "${MPI_LAUNCHER:-mpirun}" -np "$ranks" valgrind --tool=callgrind --quiet \
        --toggle-collect='*measured*' --toggle-collect='measured_loop' \
        --callgrind-out-file="$dir/cg.%q{OMPI_COMM_WORLD_RANK}.out" \
        "$products/$program" "$mode" "$iterations" >/dev/null 2>&1
    grep -E '^(summary|totals):' "$dir/cg.0.out" | head -1 | awk '{print $2}'
}

# Instructions per iteration of PROGRAM MODE, into $per (each measured once
# per run of this script: rows that compare with the same loop share its count).
declare -A measured
per_iteration() {
    local program=$1 mode=$2 ranks=$3 few=$4 many=$5
    local key="$program $mode"
    if [ -z "${measured[$key]:-}" ]; then
        local a b
        a=$(count "$program" "$mode" "$few" "$ranks")
        b=$(count "$program" "$mode" "$many" "$ranks")
        measured[$key]=$(( (b - a) / (many - few) ))
    fi
    per=${measured[$key]}
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load)
echo "load average before: $load_before"

# Rows: json key | Swift mode | C mode | ranks | iterations (few, many) |
# requests per iteration | the README's label for the row.
rows=(
    "send|send|send|1|2000|4000|1|\`send\` (\`MPI_Send\`)"
    "receive|receive|receive|1|2000|4000|1|\`receive(into:)\` (C: plain \`MPI_Recv\`)"
    "receive-mprobe|receive|receive-mprobe|1|2000|4000|1|\`receive(into:)\` (C the same truncation-safe way: \`MPI_Mprobe\` + \`MPI_Get_count\` + \`MPI_Mrecv\`)"
    "unsafe-receive|unsafe-receive|receive|1|2000|4000|1|\`unsafeReceive(into:)\`, no guard (C: plain \`MPI_Recv\`)"
    "isend-wait|isend-wait|isend-wait|1|2000|4000|1|\`isend(...).wait()\` (\`MPI_Isend\` + \`MPI_Wait\`)"
    "isend-wait-pointer|isend-wait-pointer|isend-wait|1|2000|4000|1|\`isend(...).wait()\` from a buffer pointer (the same C)"
    "ireceive-wait|ireceive-wait|ireceive-wait|1|2000|4000|1|\`ireceive(into:)\` an array + \`wait()\` (C: the same truncation-safe \`MPI_Irecv\` + \`MPI_Wait\` + \`MPI_Get_count\`)"
    "ireceive-wait-pointer|ireceive-wait-pointer|ireceive-wait|1|2000|4000|1|\`ireceive(into:)\` a buffer pointer + \`wait()\` (the same C)"
    "unsafe-ireceive-wait-pointer|unsafe-ireceive-wait-pointer|ireceive-plain|1|2000|4000|1|\`unsafeIreceive(into:)\` a buffer pointer + \`wait()\`, no guard (C: plain \`MPI_Irecv\` + \`MPI_Wait\`)"
    "allreduce|allreduce|allreduce|1|2000|4000|1|\`allReduce(_:into:_:)\` on 1 rank (\`MPI_Allreduce\`)"
    "request-set|request-set|request-set|1|100|200|128|\`RequestSet\`, 64 \`ireceive\` + 64 \`isend\`, \`waitForAll()\` + \`removeAll()\` (C: \`MPI_Waitall\` over 128)"
    "request-set-pointers|request-set-pointers|request-set|1|100|200|128|\`RequestSet\`, the same with the sends from a buffer pointer, as C's (the same C)"
    "request-set-waitall|request-set-waitall|request-set|1|100|200|128|\`RequestSet\`, the same, a new set consumed by \`waitAll()\` (the same C)"
    "persistent-set|persistent-set|persistent-set|1|1000|2000|8|\`PersistentRequestSet\`, a halo step: 4 persistent receives + 4 sends, \`startAll()\` + \`waitAll()\` (C: \`MPI_Startall\` + \`MPI_Waitall\`, receives made the same truncation-safe way)"
    "neighbor-alltoall|neighbor-alltoall|neighbor-alltoall|1|2000|4000|1|\`neighborAllToAll(_:into:)\`, 4 neighbours of a 1-rank periodic grid (\`MPI_Neighbor_alltoall\`)"
    "put-flush|put-flush|put-flush|1|2000|4000|1|\`put\` of 8 bytes from a buffer pointer + \`flush(rank:)\` to this rank's window under \`withLock(.shared)\` (\`MPI_Put\` + \`MPI_Win_flush\`)"
    "get-flush|get-flush|get-flush|1|2000|4000|1|\`get(into:)\` 8 bytes + \`flush(rank:)\` (\`MPI_Get\` + \`MPI_Win_flush\`)"
    "put-window|put-window|put-window|1|100|200|64|64 \`put\`s of 8 bytes + one \`flush(rank:)\` (put_bw's iteration; \`MPI_Put\` x 64 + \`MPI_Win_flush\`)"
    "get-window|get-window|get-window|1|100|200|64|64 \`get(into:)\`s of 8 bytes + one \`flush(rank:)\` (get_bw's iteration)"
)

results="$out/per-call.json"
table="$out/per-call.md"
{
    echo "| call (8 bytes, 1 rank to itself) | C | Swift | added |"
    echo "|---|---|---|---|"
} > "$table"
printf '%-22s %14s %14s %14s %12s\n' "call" "C (instr.)" "Swift (instr.)" "added" "per request"
json=""
for row in "${rows[@]}"; do
    IFS='|' read -r key swift_mode c_mode ranks few many requests label <<< "$row"
    per_iteration mpi-callcost-c "$c_mode" "$ranks" "$few" "$many"; c=$per
    per_iteration mpi-callcost "$swift_mode" "$ranks" "$few" "$many"; swift=$per
    added=$(( swift - c ))
    [ -z "$json" ] || json+=$',\n'
    if [ "$requests" -eq 1 ]; then
        printf '%-22s %14d %14d %14d\n' "$key" "$c" "$swift" "$added"
        json+=$(printf '  "%s": {"c": %d, "swift": %d, "added": %d}' "$key" "$c" "$swift" "$added")
        echo "| $label | $c | $swift | $added |" >> "$table"
    else
        per_request() { awk -v n="$1" -v d="$requests" 'BEGIN { printf "%.1f", n / d }'; }
        cr=$(per_request "$c") sr=$(per_request "$swift") ar=$(per_request "$added")
        printf '%-22s %14d %14d %14d %12s\n' "$key" "$c" "$swift" "$added" "+$ar"
        printf '%-22s %14s %14s %14s\n' "  per request" "$cr" "$sr" "$ar"
        json+=$(printf '  "%s": {"c": %d, "swift": %d, "added": %d, "requests": %d, "per_request": {"c": %s, "swift": %s, "added": %s}}' \
            "$key" "$c" "$swift" "$added" "$requests" "$cr" "$sr" "$ar")
        echo "| $label, per request (per iteration / $requests) | $cr | $sr | $ar |" >> "$table"
    fi
done
load_after=$(load)
printf '{\n  "load_average": {"before": "%s", "after": "%s"},\n%s\n}\n' "$load_before" "$load_after" "$json" > "$results"
echo "load average after: $load_after"
echo
echo "For the README (load average $load_before before, $load_after after):"
echo
cat "$table"
echo
echo "Per-call figures: $results, the table: $table (callgrind output under $out)"
