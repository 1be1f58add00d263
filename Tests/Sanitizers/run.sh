#!/usr/bin/env bash
# Runs the test suite's multi-process programs at 2 ranks under a sanitizer:
#
#   Tests/Sanitizers/run.sh address PRODUCTS   (make test-asan)
#   Tests/Sanitizers/run.sh thread PRODUCTS    (make test-tsan)
#
# PRODUCTS is the folder of a build made with that sanitizer (.build-asan/debug).
# address: every suite of mpi-test-programs (new suites are picked up from its
# usage line) except the two that count allocations, the faults, the examples
# and the programs of the issues, as Tests/MPITests runs them, at 2 ranks.
# thread: the suite whose ranks run several threads.
# Every run must end as expected and print no sanitizer report; the controls
# (sanitizer-check-*) must make the sanitizer report. One line per run; the
# output of every run is kept in PRODUCTS/sanitizer-logs/.
set -uo pipefail

sanitizer=${1:-}
products=${2:-}
if [[ "$sanitizer" != address && "$sanitizer" != thread ]] || [[ ! -x "$products/mpi-test-programs" ]]; then
    echo "usage: $0 address|thread PRODUCTS (a folder holding mpi-test-programs built with that sanitizer)" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
products=$(cd "$products" && pwd)
logs="$products/sanitizer-logs"
rm -rf "$logs" && mkdir -p "$logs"

# What mpirun needs on these machines (as in the Makefile and Tests/MPITests).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
    OMPI_MCA_btl_base_warn_component_unused=0 OMPI_MCA_mpi_yield_when_idle=1
# The Swift runtime's crash backtracer reads the crashed process's memory in a
# way AddressSanitizer reports; the sanitizers print their own stacks.
export SWIFT_BACKTRACE=enable=no
# Options given by the caller come last and win.
if [[ $sanitizer == address ]]; then
    # handle_segv=2 with allow_user_segv_handler=0: AddressSanitizer keeps
    # SIGSEGV, SIGBUS and SIGFPE (the library's fault handler would otherwise
    # take them at MPI_Init and print no stack). Freed memory is overwritten,
    # so that Open MPI, which is not instrumented, fails when it uses memory
    # already freed instead of reading stale contents.
    export ASAN_OPTIONS="detect_leaks=1:handle_segv=2:handle_sigbus=2:handle_sigfpe=2:allow_user_segv_handler=0:max_free_fill_size=4096:free_fill_byte=190${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export LSAN_OPTIONS="suppressions=$here/lsan-open-mpi.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    forwarded=(-x ASAN_OPTIONS -x LSAN_OPTIONS -x SWIFT_BACKTRACE)
    reports='ERROR: (Address|Leak)Sanitizer'
else
    export TSAN_OPTIONS="halt_on_error=0${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
    forwarded=(-x TSAN_OPTIONS -x SWIFT_BACKTRACE)
    reports='WARNING: ThreadSanitizer'
fi

passed=0 failed=0
skipped=()
start_all=$SECONDS

# run NAME EXPECT TIMEOUT [mpirun options --] PROGRAM [ARGUMENTS...]
#   EXPECT: pass          exit 0, no sanitizer report, and for a suite "passed: SUITE at 2 ranks"
#           fail:TEXT     non-zero exit, TEXT in the output, no sanitizer report
#           report:TEXT   non-zero exit and TEXT (the sanitizer's report) in the output
run() {
    local name=$1 expect=$2 limit=$3
    shift 3
    local options=()
    if [[ " $* " == *" -- "* ]]; then
        while [[ $1 != -- ]]; do options+=("$1"); shift; done
        shift
    fi
    local program=$1
    shift
    local log="$logs/$name.log" begin=$SECONDS
    timeout -k 5 "$limit" mpirun -np 2 "${options[@]}" "${forwarded[@]}" "$products/$program" "$@" >"$log" 2>&1
    local code=$?
    if [[ $code == 124 || $code == 137 ]]; then
        # mpirun was stopped: its ranks may live on.
        pkill -KILL -f "$products/$program" 2>/dev/null
    fi
    local problem=""
    case $expect in
        pass)
            [[ $code == 0 ]] || problem="exit $code"
            if [[ $program == mpi-test-programs ]] && ! grep -q "passed: $1 at 2 ranks" "$log"; then
                problem="${problem:-did not report passing}"
            fi ;;
        fail:*)
            [[ $code != 0 ]] || problem="exit 0, expected a failure"
            grep -qF -- "${expect#fail:}" "$log" || problem="${problem:-no \"${expect#fail:}\" in the output}" ;;
        report:*)
            [[ $code != 0 ]] || problem="exit 0, expected a sanitizer report"
            grep -qE -- "${expect#report:}" "$log" || problem="${problem:-no \"${expect#report:}\" in the output}" ;;
    esac
    if [[ $expect != report:* ]] && grep -qE "$reports" "$log"; then
        problem="sanitizer report${problem:+, $problem}"
    fi
    if [[ -z $problem ]]; then
        passed=$((passed + 1))
        printf 'ok    %-44s %4d s\n' "$name" $((SECONDS - begin))
    else
        failed=$((failed + 1))
        printf 'FAIL  %-44s %4d s  %s (%s)\n' "$name" $((SECONDS - begin)) "$problem" "$log"
        grep -E -A 30 "$reports" "$log" | head -60
    fi
}

if [[ $sanitizer == thread ]]; then
    run threads pass 600 mpi-test-programs threads
    run sanitizer-check-race "report:WARNING: ThreadSanitizer: (data|Swift access) race" 120 mpi-test-programs sanitizer-check-race
else
    # The suites, from the program's usage line, so that new ones run too.
    usage=$("$products/mpi-test-programs" 2>/dev/null | sed -n 's/^usage: mpi-test-programs //p')
    [[ -n $usage ]] || { echo "could not read the suites from mpi-test-programs' usage line" >&2; exit 2; }
    for suite in ${usage//|/ }; do
        case $suite in
            allocations|benchmark-allocations)
                # They count allocations by replacing malloc, which the sanitizer owns.
                skipped+=("$suite (counts allocations by replacing malloc; AddressSanitizer owns malloc)") ;;
            fault-throw) run "$suite" "fail:rank 1 of 2 threw" 60 mpi-test-programs "$suite" ;;
            fault-precondition) run "$suite" "fail:deliberate precondition failure" 60 mpi-test-programs "$suite" ;;
            fault-index) run "$suite" "fail:Index out of range" 60 mpi-test-programs "$suite" ;;
            fault-unwrap) run "$suite" "fail:Unexpectedly found nil" 60 mpi-test-programs "$suite" ;;
            fault-exit) run "$suite" "fail:exited while MPI was initialized" 60 mpi-test-programs "$suite" ;;
            fault-sigkill) run "$suite" "fail:" 60 mpi-test-programs "$suite" ;;
            fault-double-free|fault-invalid-free|fault-crash-in-malloc|fault-heap-overrun|fault-mismatched-broadcast)
                # Faults inside glibc's allocator, which AddressSanitizer replaces (and reports itself).
                skipped+=("$suite (a fault in the heap, which AddressSanitizer owns)") ;;
            throw-on-last-rank) run "$suite" "fail:deliberate failure on the last rank" 60 mpi-test-programs "$suite" ;;
            sanitizer-check-overflow)
                run "$suite" "report:ERROR: AddressSanitizer: heap-buffer-overflow" 120 mpi-test-programs "$suite" ;;
            sanitizer-check-leak)
                run "$suite" "report:ERROR: LeakSanitizer: detected memory leaks" 120 mpi-test-programs "$suite" ;;
            sanitizer-check-*) skipped+=("$suite (a control for another sanitizer)") ;;
            multihost|multihost-traffic)
                # They take arguments and need several hosts (Tests/Multihost/run.sh runs them).
                skipped+=("$suite (needs several hosts: make test-multihost)") ;;
            *) run "$suite" pass 900 mpi-test-programs "$suite" ;;
        esac
    done
    run truncation-over-tcp pass 900 --mca btl tcp,self -- mpi-test-programs truncation
    for suite in collectives reductions nonblocking-collectives collective-errors; do
        run "$suite-unverified" pass 900 -x SWIFT_MPI_VERIFY_COLLECTIVES=0 -- mpi-test-programs "$suite"
    done

    # The examples and the programs of the issues check their own results.
    for program in hello ring parallel-sum prefix-sum master-worker acceptance-foundation acceptance-collectives; do
        run "$program" pass 300 "$program"
    done
    run pi pass 300 pi 1000000
    run monte-carlo-pi pass 300 monte-carlo-pi 1000000
    run deadlock-sendreceive pass 300 deadlock sendreceive
    run deadlock-nonblocking pass 300 deadlock nonblocking
    # Both ranks send 8 MiB first and wait forever; mpirun's --timeout ends it.
    run deadlock-naive "fail:time limit for job execution has been reached" 60 --timeout 4 -- deadlock naive
fi

echo "$sanitizer sanitizer, 2 ranks: $passed runs as expected, $failed not, in $((SECONDS - start_all)) s"
for skip in "${skipped[@]}"; do echo "skipped: $skip"; done
[[ $failed == 0 ]]
