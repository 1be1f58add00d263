#!/usr/bin/env bash
# Runs the test suite's multi-process programs at 2 ranks under a sanitizer:
#
#   Tests/Sanitizers/run.sh address PRODUCTS   (make test-asan)
#   Tests/Sanitizers/run.sh thread PRODUCTS    (make test-tsan)
#
# PRODUCTS is the folder of a build made with that sanitizer (.build-asan/debug).
# The suites, and what each sanitizer does with them (run, skip and why, how
# the outcome is judged), come from the registry that the tests read too:
# `mpi-test-programs --list` (Tests/MPITestSuites/SanitizerList.swift has the
# format). address: every suite it does not skip, with its variants, then the
# examples and the acceptance programs, at 2 ranks. thread: the suite whose
# ranks run several threads, and its control.
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

# The registry's runs for this sanitizer. It is read on its own descriptor:
# mpirun reads standard input, and would take the rest of the list.
list=$("$products/mpi-test-programs" --list) && [[ -n $list ]] \
    || { echo "could not read the runs from mpi-test-programs --list" >&2; exit 2; }
while IFS=$'\t' read -r -u 3 which name expect limit options arguments; do
    [[ $which == "$sanitizer" ]] || continue
    if [[ $expect == skip:* ]]; then
        skipped+=("$name (${expect#skip:})")
        continue
    fi
    mpirun_options=()
    for option in $options; do
        case $option in
            tcp) mpirun_options+=(--mca btl tcp,self) ;;
            env:*) mpirun_options+=(-x "${option#env:}") ;;
        esac
    done
    # shellcheck disable=SC2086  # the suite's name and its arguments, split by spaces
    run "$name" "$expect" "$limit" "${mpirun_options[@]}" -- mpi-test-programs $arguments
done 3<<<"$list"

if [[ $sanitizer == address ]]; then
    # The examples and the acceptance programs check their own results.
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
