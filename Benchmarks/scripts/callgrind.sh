#!/usr/bin/env bash
# Instructions swift-mpi adds per call, counted by valgrind's callgrind:
# repeatable, whatever else the machine is doing. Each mode runs at two
# iteration counts; rank 0's instructions per extra iteration are the cost of
# one call. Swift (mpi-callcost) is compared with C (mpi-callcost-c).
#
#   Benchmarks/scripts/callgrind.sh [.build/release]
set -euo pipefail
products=${1:-.build/release}
out=${CALLGRIND_OUT:-bench-results/callgrind}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_base_warn_component_unused=0
few=2000
many=4000

# Rank 0's total instructions for PROGRAM MODE ITERATIONS at RANKS ranks.
count() {
    local program=$1 mode=$2 iterations=$3 ranks=$4
    local dir="$out/$(basename "$program")-$mode-$iterations"
    rm -rf "$dir" && mkdir -p "$dir"
    timeout -k 5 600 mpirun -np "$ranks" valgrind --tool=callgrind --quiet \
        --toggle-collect='*measured*' --toggle-collect='measured_loop' \
        --callgrind-out-file="$dir/cg.%q{OMPI_COMM_WORLD_RANK}.out" \
        "$products/$program" "$mode" "$iterations" >/dev/null 2>&1
    grep -E '^(summary|totals):' "$dir/cg.0.out" | head -1 | awk '{print $2}'
}

# Instructions per call of PROGRAM MODE (per request for request-set, whose
# iterations are rounds of 128 requests).
per_call() {
    local program=$1 mode=$2 ranks=$3
    local a b lo=$few hi=$many per=1
    if [ "$mode" = request-set ]; then lo=40; hi=80; per=128; fi
    a=$(count "$program" "$mode" $lo "$ranks")
    b=$(count "$program" "$mode" $hi "$ranks")
    echo $(( (b - a) / (hi - lo) / per ))
}

printf '%-12s %14s %14s %14s\n' "call" "C (instr.)" "Swift (instr.)" "added"
results="$out/per-call.json"
echo "{" > "$results"
first=1
for entry in "send:send:2" "receive:receive:2" "isend-wait:isend-wait:2" "ireceive-wait:ireceive-wait:2" \
             "request-set:request-set:2" "allreduce:allreduce:1"; do
    IFS=: read -r swift_mode c_mode ranks <<< "$entry"
    c=$(per_call mpi-callcost-c "$c_mode" "$ranks")
    swift=$(per_call mpi-callcost "$swift_mode" "$ranks")
    printf '%-12s %14d %14d %14d\n' "$swift_mode" "$c" "$swift" $(( swift - c ))
    [ $first -eq 1 ] || echo "," >> "$results"
    first=0
    printf '  "%s": {"c": %d, "swift": %d, "added": %d}' "$swift_mode" "$c" "$swift" $(( swift - c )) >> "$results"
done
# The truncation guard's share of a receive: C receiving the way swift-mpi does.
guarded=$(per_call mpi-callcost-c receive-mprobe 2)
printf '%-12s %14d %14s %14s\n' "receive (C, Mprobe+Mrecv)" "$guarded" "" ""
printf ',\n  "receive-mprobe-c": {"c": %d}\n}\n' "$guarded" >> "$results"
echo "Per-call figures: $results (callgrind output under $out)"
