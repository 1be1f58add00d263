#!/usr/bin/env bash
# Fails when a file of Sources/MPI outside its C floor (Sources/MPI/CFloor)
# calls an MPI function or tests which MPI it is built against: every MPI call
# goes through MPIC, which owns the environment check, the return codes and
# the differences between Open MPI and MPICH. Comments and string literals
# (operation names in errors, "The corresponding C function is ...") may name
# MPI functions; MPI's C types (MPI_Status, MPI_Aint, MPI_Count) may appear.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r file; do
    # Drop // comments, "..." literals and MPI's C types, then look for any
    # MPI function's name (called or passed) and for MPI conditions.
    hits=$(sed -E -e 's://.*$::' -e 's/"([^"\\]|\\.)*"/""/g' "$file" \
        | sed -E 's/\bMPI_(Status|Aint|Count|Offset)\b//g' \
        | grep -nE '\bP?MPI_[A-Z][a-z][A-Za-z_]*|#(if|elseif).*\b(MPICH|OpenMPI)\b')
    if [[ -n $hits ]]; then
        status=1
        while IFS= read -r hit; do echo "$file:$hit"; done <<<"$hits"
    fi
done < <(find Sources/MPI -name '*.swift' -not -path 'Sources/MPI/CFloor/*' | sort)
if [[ $status != 0 ]]; then
    echo "check-floor: the lines above call MPI or test the MPI outside Sources/MPI/CFloor; add or use a wrapper in MPIC" >&2
else
    echo "check-floor: no MPI call or MPI condition outside Sources/MPI/CFloor"
fi
exit $status
