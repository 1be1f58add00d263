#!/usr/bin/env bash
# What each MPI writes past a receive buffer shorter than the message, with
# no guard: the C twin (mpi-guard-bytes-c) and the Swift suite with the guard
# switched off (mpi-test-programs guard-bytes-unguarded), over each transport
# that can be selected here. Prints, per transport and receive, the sizes
# that were overrun; the README's table comes from it.
#
#   Tests/GuardBytesC/table.sh          (after `make test` and `make test MPI=mpich`)
set -uo pipefail
cd "$(dirname "$0")/../.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_base_warn_component_unused=0 \
    HYDRA_LAUNCHER=fork

# One line per receive mode: which sizes were overrun (bytes written past the buffer > 0).
summarize() {
    awk -F'\t' 'NF >= 4 && $2 ~ /^[0-9]+$/ {
        mode = $1; past = $NF; n[mode]++
        if (past > 0) { bad[mode]++; sizes[mode] = sizes[mode] " " $2 }
        if (!(mode in order)) { order[mode] = ++modes; name[modes] = mode }
    } END {
        for (i = 1; i <= modes; i++) { m = name[i]
            printf "    %-20s %2d of %2d sizes overrun%s\n", m, bad[m] + 0, n[m], bad[m] ? ":" sizes[m] : "" }
    }'
}

run() {  # label, launcher and options, program and arguments
    local label=$1; shift
    echo "  $label"
    timeout -k 5 120 "$@" 2>&1 | summarize || echo "    (failed or timed out: $?)"
}

for build in .build .build-mpich; do
    [ -x "$build/debug/mpi-guard-bytes-c" ] || continue
    if [ "$build" = .build ]; then
        echo "Open MPI ($(mpirun --version 2>/dev/null | head -1))"
        for program in "$build/debug/mpi-guard-bytes-c" "$build/debug/mpi-test-programs guard-bytes-unguarded"; do
            echo " $program"
            run "shared memory (vader, CMA single copy, the default)" mpirun -np 2 $program
            run "shared memory, btl_vader_single_copy_mechanism=none" mpirun -np 2 --mca btl_vader_single_copy_mechanism none $program
            run "TCP (btl tcp,self)" mpirun -np 2 --mca btl tcp,self $program
            run "TCP, btl_tcp_flags=send,inplace" mpirun -np 2 --mca btl tcp,self --mca btl_tcp_flags send,inplace $program
            run "self, vader and TCP without put and get" mpirun -np 2 --mca btl_self_flags send,inplace \
                --mca btl_vader_single_copy_mechanism none --mca btl_tcp_flags send,inplace $program
        done
    else
        echo "MPICH ($(mpichversion 2>/dev/null | head -1 | tr -s ' \t' ' '), ch4:ucx)"
        for program in "$build/debug/mpi-guard-bytes-c" "$build/debug/mpi-test-programs guard-bytes-unguarded"; do
            echo " $program"
            run "shared memory (the default)" mpiexec.mpich -np 2 $program
            run "UCX netmod (MPIR_CVAR_NOLOCAL=1)" env MPIR_CVAR_NOLOCAL=1 mpiexec.mpich -np 2 $program
            run "UCX over TCP (MPIR_CVAR_NOLOCAL=1 UCX_TLS=tcp,self)" env MPIR_CVAR_NOLOCAL=1 UCX_TLS=tcp,self mpiexec.mpich -np 2 $program
        done
    fi
done
