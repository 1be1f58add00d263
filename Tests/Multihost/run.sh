#!/usr/bin/env bash
# make test-multihost: an SPMD job across three hosts, made on this machine as
# Linux network namespaces.
#
#   namespace PREFIX-sw   the switch and the head node: a bridge br0 with
#                         10.77.0.254/24; mpirun runs here (hostname PREFIX-head)
#   namespaces PREFIX-h1..h3   the hosts: eth0 with 10.77.0.1..3/24, joined to
#                         br0 by a veth pair (p1..p3 on the switch side)
#
# Every link and address exists only inside these namespaces; the machine's
# own namespace gets nothing. mpirun reaches the hosts through
# Tests/Multihost/netns-ssh (in place of ssh), which gives each host its own
# hostname. Then:
#   1. `mpi-test-programs multihost 3` at 6 ranks (hostfiles/multihost-netns,
#      2 slots a host): ranks on all three hosts, point-to-point messages of
#      16 B to 4 MiB between every pair of ranks and collectives, all checked;
#   1b. when MPICH is installed, its launcher (mpiexec.mpich) runs a shell
#      command with hostfiles/multihost-netns.mpich, checking hydra's format and
#      placement (swift-mpi itself builds against Open MPI);
#   2. link down: `mpi-test-programs multihost-traffic` keeps messages going
#      around the ring; once they flow, host 3's switch port goes down, and
#      mpirun must end the job non-zero within LINKDOWN_BOUND seconds.
# Everything made is removed on success, failure, Ctrl-C or TERM.
#
# Environment (all optional):
#   MULTIHOST_PROGRAM         the test program (default .build/debug/mpi-test-programs)
#   MULTIHOST_EXPECT_HOSTS    hosts the job must span (default 3; another value
#                             makes step 1 fail, to check that a failure cleans up)
#   MULTIHOST_JOB_TIMEOUT     mpirun --timeout of step 1 (default 90 s)
#   MULTIHOST_LINKDOWN_BOUND  seconds from the link going down by which the job
#                             must have ended (default 30)
#   MULTIHOST_LINKDOWN_MCA    extra "--mca NAME VALUE ..." for step 2; default
#                             the out-of-band keepalive below
#   MULTIHOST_LINKDOWN_BACKSTOP  mpirun --timeout of step 2, counted from its
#                             launch (default LINKDOWN_BOUND - 5, so that it too
#                             ends the job within the bound)
#   MULTIHOST_CUT_HOST        which host is cut off: 1, 2 or 3 (default 3; rank 0,
#                             which prints, is on host 1)
#   MULTIHOST_CUT             which end of its link goes down: switch (pN, the
#                             default: a cable pulled at the switch) or host (eth0)
#   MULTIHOST_HOST_SYSCTL     sysctl settings for the hosts' namespaces, e.g.
#                             "net.ipv4.tcp_retries2=5" (experiments only)
#   MULTIHOST_SKIP_JOB=1      skips step 1 (experiments with step 2)
#   MULTIHOST_SKIP_LINKDOWN=1 skips step 2
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROGRAM=${MULTIHOST_PROGRAM:-$ROOT/.build/debug/mpi-test-programs}
HOSTFILE=$ROOT/hostfiles/multihost-netns
AGENT=$HERE/netns-ssh
RANKS=6
EXPECT_HOSTS=${MULTIHOST_EXPECT_HOSTS:-3}
JOB_TIMEOUT=${MULTIHOST_JOB_TIMEOUT:-90}
LINKDOWN_BOUND=${MULTIHOST_LINKDOWN_BOUND:-30}
LINKDOWN_BACKSTOP=${MULTIHOST_LINKDOWN_BACKSTOP:-$((LINKDOWN_BOUND - 5))}
CUT=${MULTIHOST_CUT:-switch}
CUT_HOST=${MULTIHOST_CUT_HOST:-3}
# Open MPI 4.1.4's TCP transport (btl tcp) has no keepalive or timeout of its
# own: ranks blocked on a peer behind a dead link wait, even after the kernel
# has given up on the connection (tried with net.ipv4.tcp_retries2=3 in the
# hosts: the ranks print "readv failed: Connection timed out" and wait on).
# The out-of-band channel between mpirun and its daemons has keepalive, off
# in practice by default (300 s idle, then 9 probes 20 s apart); with 2 s,
# 1 s and 3 probes mpirun notices the lost daemon within seconds and ends the
# job (exit 205).
LINKDOWN_MCA=${MULTIHOST_LINKDOWN_MCA---mca oob_tcp_keepalive_time 2 --mca oob_tcp_keepalive_intvl 1 --mca oob_tcp_keepalive_probes 3}
SUBNET=10.77.0.0/24

STATUS=1
say() { echo "multihost: $*"; }
skip() { echo "SKIPPED: make test-multihost: $*"; STATUS=0; exit 0; }

[ "$(id -u)" = 0 ] || skip "creating network namespaces needs root"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) is not installed"
command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) is not installed"
command -v mpirun >/dev/null 2>&1 || { echo "FAILED: mpirun not found"; exit 1; }
[ -x "$PROGRAM" ] || { echo "FAILED: $PROGRAM is not built (swift build --product mpi-test-programs)"; exit 1; }

# What mpirun needs on these machines (the Makefile's MPIRUN_ENV). The agent
# hands the whole environment on to the daemons and ranks, as ssh would not.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_base_warn_component_unused=0 \
    OMPI_MCA_mpi_yield_when_idle=1

# Names unique to this run, so that concurrent runs and other jobs on the
# machine are never touched.
PREFIX=smpimh$$
export MULTIHOST_PREFIX=$PREFIX
SWITCH=$PREFIX-sw
HOSTS=("$PREFIX-h1" "$PREFIX-h2" "$PREFIX-h3")
CREATED=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/swift-mpi-multihost.XXXXXX")
LINKS_BEFORE=$(ip -o link show | awk -F': ' '{print $2}' | sort)
JOB_PID=

# Removes every namespace (and so every link and address) this run made, the
# processes inside them, and Open MPI's session files for its hostnames;
# then checks that nothing is left.
cleanup() {
    trap - EXIT INT TERM
    local ns pids left=0
    if [ -n "$JOB_PID" ] && kill -0 "$JOB_PID" 2>/dev/null; then kill -TERM "$JOB_PID" 2>/dev/null; fi
    for ns in "${CREATED[@]}"; do
        pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
        if [ -n "${pids// /}" ]; then
            say "killing processes left in $ns: $pids"
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null
        fi
    done
    [ -n "$JOB_PID" ] && wait "$JOB_PID" 2>/dev/null
    for ns in "${CREATED[@]}"; do
        # A namespace whose processes are still exiting can stay busy a moment.
        for _ in 1 2 3 4 5; do
            ip netns del "$ns" 2>/dev/null && break
            sleep 0.2
        done
    done
    rm -rf /tmp/ompi."$PREFIX"-* /dev/shm/*"$PREFIX"-* "$WORK"
    if ip netns list | grep -q "$PREFIX"; then
        echo "FAILED: namespaces left behind: $(ip netns list | grep "$PREFIX" | tr '\n' ' ')"
        left=1
    fi
    if compgen -G "/tmp/ompi.$PREFIX-*" >/dev/null || compgen -G "/dev/shm/*$PREFIX-*" >/dev/null; then
        echo "FAILED: Open MPI session files left behind: $(ls -d /tmp/ompi."$PREFIX"-* /dev/shm/*"$PREFIX"-* 2>/dev/null | tr '\n' ' ')"
        left=1
    fi
    if [ "$(ip -o link show | awk -F': ' '{print $2}' | sort)" != "$LINKS_BEFORE" ]; then
        echo "FAILED: the machine's links changed:"
        diff <(echo "$LINKS_BEFORE") <(ip -o link show | awk -F': ' '{print $2}' | sort)
        left=1
    fi
    if [ "$left" = 0 ]; then say "cleaned up: no namespace, link or session file of this run is left"; fi
    if [ "$left" = 1 ] && [ "$STATUS" = 0 ]; then STATUS=1; fi
    exit "$STATUS"
}
trap cleanup EXIT
trap 'echo "multihost: interrupted"; STATUS=130; exit 130' INT
trap 'echo "multihost: terminated"; STATUS=143; exit 143' TERM

fail() { echo "FAILED: make test-multihost: $*"; STATUS=1; exit 1; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- The network -------------------------------------------------------------
start=$(now)
if ! ip netns add "$SWITCH" 2>"$WORK/netns.err"; then
    skip "cannot create network namespaces here ($(head -1 "$WORK/netns.err"))"
fi
CREATED+=("$SWITCH")
for ns in "${HOSTS[@]}"; do
    ip netns add "$ns" || fail "ip netns add $ns"
    CREATED+=("$ns")
done
set -e
ip -n "$SWITCH" link set lo up
ip -n "$SWITCH" link add br0 type bridge
ip -n "$SWITCH" addr add 10.77.0.254/24 dev br0
ip -n "$SWITCH" link set br0 up
for i in 1 2 3; do
    ns=$PREFIX-h$i
    # Both ends are made in the namespaces: nothing appears in the machine's own.
    ip -n "$SWITCH" link add "p$i" type veth peer name eth0 netns "$ns"
    ip -n "$SWITCH" link set "p$i" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "10.77.0.$i/24" dev eth0
    ip -n "$ns" link set eth0 up
    for setting in ${MULTIHOST_HOST_SYSCTL:-}; do
        ip netns exec "$ns" sysctl -q -w "$setting"
    done
done
set +e
# The bridge forwards once its ports are up: wait until every host answers
# (a refused TCP connection to port 9 is an answer; no ping needed).
for i in 1 2 3; do
    ok=0
    for _ in $(seq 50); do
        answer=$(timeout 1 ip netns exec "$SWITCH" bash -c "exec 3<>/dev/tcp/10.77.0.$i/9" 2>&1)
        if [[ $answer == *refused* ]]; then
            ok=1; break
        fi
        sleep 0.1
    done
    [ "$ok" = 1 ] || fail "host 10.77.0.$i does not answer on the bridge"
done
say "3 hosts up as namespaces $PREFIX-h1..h3 (10.77.0.1-3), switch $SWITCH (10.77.0.254) in $(since "$start") s"

# mpirun, in the switch namespace, as head node PREFIX-head. Runs in the
# background (so that INT and TERM are handled at once), under an outer
# timeout besides its own --timeout.
MPIRUN_COMMON=(--hostfile "$HOSTFILE" -np "$RANKS"
    --mca plm_rsh_agent "$AGENT" --mca plm_rsh_no_tree_spawn 1
    --mca btl self,vader,tcp --mca btl_tcp_if_include "$SUBNET" --mca oob_tcp_if_include "$SUBNET")
launch() {   # launch OUTER_SECONDS LOG mpirun-arguments...
    local outer=$1 log=$2
    shift 2
    timeout -k 5 "$outer" ip netns exec "$SWITCH" unshare --uts -- \
        sh -c 'hostname "$0" && exec "$@"' "$PREFIX-head" mpirun "${MPIRUN_COMMON[@]}" "$@" \
        >"$log" 2>&1 </dev/null &
    JOB_PID=$!
}

# --- 1. The job across the three hosts ---------------------------------------
if [ "${MULTIHOST_SKIP_JOB:-0}" = 1 ]; then
    say "step 1 (the job across the hosts) skipped: MULTIHOST_SKIP_JOB=1"
else
    start=$(now)
    launch $((JOB_TIMEOUT + 20)) "$WORK/job.log" --timeout "$JOB_TIMEOUT" "$PROGRAM" multihost "$EXPECT_HOSTS"
    wait "$JOB_PID"
    rc=$?
    JOB_PID=
    seconds=$(since "$start")
    sed 's/^/  | /' "$WORK/job.log"
    [ "$rc" = 0 ] || fail "the job across the hosts exited $rc after $seconds s"
    grep -q "^passed: multihost at $RANKS ranks" "$WORK/job.log" || fail "no pass line from the job"
    seen=$(sed -n 's/^multihost: rank [0-9]* on //p' "$WORK/job.log" | sort -u | paste -sd ' ')
    [ "$seen" = "$PREFIX-host1 $PREFIX-host2 $PREFIX-host3" ] || fail "ranks ran on: $seen (expected $PREFIX-host1..3)"
    say "step 1 passed: $RANKS ranks on $seen, checked traffic between them ($seconds s)"
fi

# --- 1b. MPICH's hostfile format, with MPICH's launcher --------------------------
if ! command -v mpiexec.mpich >/dev/null 2>&1; then
    say "step 1b (MPICH hostfile) skipped: mpiexec.mpich is not installed"
elif [ "${MULTIHOST_SKIP_JOB:-0}" != 1 ]; then
    start=$(now)
    timeout -k 5 60 ip netns exec "$SWITCH" unshare --uts -- \
        sh -c 'hostname "$0" && exec "$@"' "$PREFIX-head" \
        mpiexec.mpich -f "$ROOT/hostfiles/multihost-netns.mpich" -n 7 \
        -launcher ssh -launcher-exec "$AGENT" -iface br0 \
        sh -c 'echo "rank $PMI_RANK on $(hostname)"' >"$WORK/mpich.log" 2>&1 </dev/null &
    JOB_PID=$!
    wait "$JOB_PID"
    rc=$?
    JOB_PID=
    placement=$(sort -t ' ' -k2n "$WORK/mpich.log" | sed "s/ on $PREFIX-/ on /" | paste -sd ',')
    expected="rank 0 on host1,rank 1 on host1,rank 2 on host2,rank 3 on host2,rank 4 on host3,rank 5 on host3,rank 6 on host1"
    if [ "$rc" != 0 ] || [ "$placement" != "$expected" ]; then
        sed 's/^/  | /' "$WORK/mpich.log"
        fail "mpiexec.mpich with hostfiles/multihost-netns.mpich: exit $rc, placement $placement"
    fi
    say "step 1b passed: mpiexec.mpich placed 7 ranks as host:2 lines say ($placement) in $(since "$start") s"
fi

# --- 2. A host's link goes down mid-job ---------------------------------------
if [ "${MULTIHOST_SKIP_LINKDOWN:-0}" = 1 ]; then
    say "step 2 (link down) skipped: MULTIHOST_SKIP_LINKDOWN=1"
else
    # mpirun's own --timeout is the backstop; the outer timeout the last resort.
    backstop=$LINKDOWN_BACKSTOP
    start=$(now)
    # shellcheck disable=SC2086
    launch $((backstop + 15)) "$WORK/traffic.log" --timeout "$backstop" $LINKDOWN_MCA \
        "$PROGRAM" multihost-traffic 600
    ok=0
    for _ in $(seq 600); do
        if grep -q "^traffic: round 5 " "$WORK/traffic.log"; then ok=1; break; fi
        kill -0 "$JOB_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$ok" != 1 ]; then
        sed 's/^/  | /' "$WORK/traffic.log"
        fail "the traffic job did not get going"
    fi
    case "$CUT" in
        host) cut=(ip -n "$PREFIX-h$CUT_HOST" link set eth0 down) ;;
        *) cut=(ip -n "$SWITCH" link set "p$CUT_HOST" down) ;;
    esac
    say "traffic flowing after $(since "$start") s; taking host $CUT_HOST's link down (${cut[*]})"
    down=$(now)
    "${cut[@]}" || fail "could not take the link down"
    # Wait for the job, at most LINKDOWN_BOUND seconds from the cut.
    ended=0
    while kill -0 "$JOB_PID" 2>/dev/null; do
        if awk -v a="$down" -v b="$(now)" -v l="$LINKDOWN_BOUND" 'BEGIN { exit !(b - a > l) }'; then break; fi
        sleep 0.1
    done
    if ! kill -0 "$JOB_PID" 2>/dev/null; then ended=1; fi
    wait_rc=0
    if [ "$ended" = 1 ]; then wait "$JOB_PID"; wait_rc=$?; fi
    seconds=$(since "$down")
    rounds=$(grep -c '^traffic: round' "$WORK/traffic.log")
    sed 's/^/  | /' "$WORK/traffic.log" | grep -v '^  | traffic: round' | head -40
    if [ "$ended" != 1 ]; then
        fail "the job was still running $seconds s after host $CUT_HOST's link went down (bound $LINKDOWN_BOUND s); it is killed now"
    fi
    JOB_PID=
    case "$wait_rc" in
        0) fail "the job ended with exit 0 although host $CUT_HOST was cut off" ;;
        110) how="mpirun's --timeout $backstop (exit 110)" ;;
        124|137) how="the outer timeout (exit $wait_rc)" ;;
        *) if grep -qi "lost communication\|lost contact\|unable to communicate\|daemon.*lost" "$WORK/traffic.log"; then
               how="mpirun noticing the lost daemon on host $CUT_HOST (exit $wait_rc)"
           else
               how="the job failing (exit $wait_rc)"
           fi ;;
    esac
    say "step 2 passed: $rounds rounds before the cut; the job ended $seconds s after host $CUT_HOST's link went down, ended by $how"
    # Do the daemons and ranks on the hosts go away by themselves? (Whatever
    # is left after 10 s is killed by the clean-up.)
    gone=$(now)
    for _ in $(seq 100); do
        left=$(for ns in "${HOSTS[@]}"; do ip netns pids "$ns"; done | wc -l)
        [ "$left" = 0 ] && break
        sleep 0.1
    done
    if [ "$left" = 0 ]; then
        say "every daemon and rank on the hosts had exited $(since "$gone") s after mpirun"
    else
        say "$left processes (daemons, ranks) still on the hosts 10 s after mpirun ended: $(for i in 1 2 3; do
            echo "host $i: $(ip netns pids "$PREFIX-h$i" | wc -l)"; done | paste -sd ' '); killed below"
    fi
fi
STATUS=0
say "passed"
