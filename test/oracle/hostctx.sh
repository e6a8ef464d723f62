#!/bin/bash
# The real programs on a sysroot-like tree (test/oracle/hostctx.test.ts): each client runs in a private mount
# namespace of its own in which SYSROOT/etc/docker, SYSROOT/etc/containers and SYSROOT/etc/hosts (else the oracle's
# hosts file: ip6.oracle.test -> ::1) are bind-mounted over /etc/docker, /etc/containers and /etc/hosts, so it reads the
# tree's daemon.json, registries.conf and certs.d as it would on the imaged machine. The registry is the oracle's
# (../shared/oracle, started by its setup.sh); nothing of the oracle is changed. Run as root; it takes the oracle's lock
# itself.
#
#   hostctx.sh dockerd SYSROOT REF        a private dockerd 20.10 (own data/exec roots, socket, pidfile under a
#                                         temporary directory, own containerd namespaces; /etc/docker/daemon.json is
#                                         SYSROOT's), `docker pull REF`, then the daemon is stopped by its PID and its
#                                         directory removed
#   hostctx.sh skopeo SYSROOT REF         `skopeo inspect --raw docker://REF`, HOME=SYSROOT/root
#   hostctx.sh ctr HOSTS_DIR REF          `ctr content fetch --hosts-dir HOSTS_DIR REF` against the oracle's containerd
#   hostctx.sh probe                      prints why these cannot run here (nothing when they can)
#
# Prints one JSON line: exit, stderr (complete), files_seen (the loader's debug lines: dockerd `hostDir:`/`crt:`/...,
# skopeo `Looking for TLS certificates`/` crt:`/..., ctr `loading host directory dir=`), daemon_log (dockerd's and
# ctr's debug lines about the endpoint) and server_tls_errors (what the registry logged for the handshakes). A dockerd
# that ends by itself before serving gives exit null with daemon_exit and daemon_output (its complete output).
set -uo pipefail
# ../shared/oracle beside the repository, as in CI (test/oracle/hostctx.test.ts passes it too).
ORACLE=${ORACLE:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/oracle}
# shellcheck source=/dev/null
. "$ORACLE/lib.sh"

usage() {
  sed -n '2,19p' "$0" >&2
  exit 2
}
if [ "${1:-}" = probe ]; then
  for d in /etc/docker /etc/containers; do [ -d "$d" ] || { echo "$d is missing (the mount point; install docker.io and skopeo)"; exit 0; }; done
  for b in unshare skopeo ctr dockerd jq perl; do command -v "$b" >/dev/null || { echo "$b is not installed"; exit 0; }; done
  unshare --mount --propagation private -- true 2>/dev/null || echo "unshare --mount fails here (no CAP_SYS_ADMIN?)"
  exit 0
fi
[ $# -eq 3 ] || usage
CLIENT=$1 TREE=$2 REF=$3
if [ "$CLIENT" = ctr ]; then
  HOSTS_DIR=$TREE TREE="" # ctr is given the value as it is (a path list too); only /etc/hosts is mounted
else
  [ -d "$TREE" ] || { echo "no such directory: $TREE" >&2; exit 2; }
  TREE=$(cd "$TREE" && pwd)
fi
pid_alive "$PIDS/registry-main-v4.pid" docker-registry || { echo "the oracle's registry is not running" >&2; exit 3; }

WORK=$(mktemp -d /tmp/certsd-hostctx.XXXXXX)
DOCKERD_PID="" CONTAINERD_PID=""

stop_pid() { # pid expected-cmdline-substring
  local pid=$1 want=$2
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$want" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do [ -d "/proc/$pid" ] || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  sleep 0.2
}
cleanup() {
  # dockerd stops its own containerd; the child is stopped by PID in case it is still there.
  stop_pid "$DOCKERD_PID" dockerd
  stop_pid "$CONTAINERD_PID" "$WORK/exec"
  # dockerd leaves its mounts inside its own namespace only: they end with it.
  rm -rf "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

msgs() { grep -oP 'msg="\K(?:[^"\\]|\\.)*' | sed 's/\\"/"/g'; }
ctr_debug() { # as run-case.sh: a debug line's msg, with its dir=, url= and response.status= fields
  perl -ne 'next unless /level=debug/; my ($m) = /msg=("(?:[^"\\]|\\.)*"|\S+)/; $m =~ s/^"|"$//g;
    my @f = ($m); for my $k (qw(dir url response.status)) { push @f, "$k=$1" if /\Q$k\E="?([^" ]+(?: [^"=]+(?="))?)"?/ }
    print join(" ", @f), "\n"'
}
declare -A OFF
# The oracle's lock (shared with run-case.sh's users): held from the first request to the registry until its log lines
# are collected. A private dockerd starts and stops outside it.
LOCK=${ORACLE_LOCK:-/tmp/oracle.lock}
lock() { if command -v flock >/dev/null; then exec 9>>"$LOCK" && flock 9; fi; }
unlock() { exec 9>&-; }
mark_logs() { lock; local f; for f in "$LOGS"/registry-*.log; do [ -f "$f" ] && OFF[$f]=$(stat -c %s "$f"); done; }
collect_server() {
  local f
  for f in "$LOGS"/registry-*.log; do
    tail -c +"$(( ${OFF[$f]:-0} + 1 ))" "$f" | grep -F 'TLS handshake error' |
      sed -E 's/.*(http: TLS handshake error)/\1/; s/from (127\.0\.0\.1|\[::1\]):[0-9]+/from \1:PORT/'
  done
}
emit() { # exit stderr seen dlog slog
  jq -cn --argjson exit "$1" --arg stderr "$2" --arg seen "$3" --arg dlog "$4" --arg slog "$5" \
    '{exit:$exit, stderr:$stderr,
      files_seen:($seen|split("\n")|map(select(length>0))),
      daemon_log:($dlog|split("\n")|map(select(length>0))),
      server_tls_errors:($slog|split("\n")|map(select(length>0)))}'
}

# The namespace: the tree's /etc/docker, /etc/containers and /etc/hosts (when it has them; else the oracle's hosts).
# The mount points are this machine's (the docker.io and skopeo packages make them); nothing is created in /etc.
for d in /etc/docker /etc/containers; do
  [ -d "$d" ] || { echo "$d missing: it is the mount point for the tree's (install docker.io and skopeo)" >&2; exit 3; }
done
mounts() {
  local m=""
  [ -n "$TREE" ] && [ -d "$TREE/etc/docker" ] && m+="mount --bind '$TREE/etc/docker' /etc/docker && "
  [ -n "$TREE" ] && [ -d "$TREE/etc/containers" ] && m+="mount --bind '$TREE/etc/containers' /etc/containers && "
  local hosts=$ORACLE_STATE/hosts
  [ -n "$TREE" ] && [ -f "$TREE/etc/hosts" ] && hosts=$TREE/etc/hosts
  printf '%smount --bind %q /etc/hosts' "$m" "$hosts"
}
in_ns() { unshare --mount --propagation private -- /bin/sh -c "$(mounts) && exec \"\$@\"" sh "$@"; }

case $CLIENT in
  dockerd)
    mkdir -p "$WORK/data" "$WORK/exec" "$WORK/home"
    SOCK=$WORK/docker.sock
    # The oracle dockerd's containerd, in namespaces of our own, when it runs (a second's start-up saved per case);
    # else dockerd starts its own. Images are the classic store's (vfs, under --data-root): containerd keeps none.
    CTRD=""
    csock=$ORACLE_STATE/docker-exec/containerd/containerd.sock
    [ -S "$csock" ] && CTRD="--containerd '$csock' --containerd-namespace certsd-hostctx --containerd-plugins-namespace certsd-hostctx-plugins"
    # unshare and sh exec: $! is dockerd's own pid.
    unshare --mount --propagation private -- /bin/sh -c "$(mounts) && exec dockerd --debug \
      --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs $CTRD \
      --data-root '$WORK/data' --exec-root '$WORK/exec' -H 'unix://$SOCK' --pidfile '$WORK/dockerd.pid'" \
      >"$WORK/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    up=0
    for _ in $(seq 1 150); do
      if HOME=$WORK/home "$DOCKER_BIN" -H "unix://$SOCK" version >/dev/null 2>&1; then up=1; break; fi
      [ -d "/proc/$DOCKERD_PID" ] || break
      sleep 0.2
    done
    if [ $up = 0 ]; then
      if [ ! -d "/proc/$DOCKERD_PID" ]; then
        # It ended by itself (daemon.json refused, for one): its status and its complete output.
        wait "$DOCKERD_PID"
        jq -cn --argjson code "$?" --arg out "$(cat "$WORK/dockerd.log")" \
          '{exit:null, stderr:"dockerd exited before it served", daemon_exit:$code, daemon_output:$out,
            files_seen:[], daemon_log:[], server_tls_errors:[]}'
        DOCKERD_PID=""
      else
        emit null "dockerd unavailable: a second dockerd did not come up: $(tail -n 3 "$WORK/dockerd.log" | tr '\n' ' ')" "" "" ""
      fi
      exit 0
    fi
    [ -n "$CTRD" ] || CONTAINERD_PID=$(ps -o pid= --ppid "$DOCKERD_PID" | tr -d ' ' | head -1)
    mark_logs
    OFF_D=$(stat -c %s "$WORK/dockerd.log")
    HOME=$WORK/home timeout 60 "$DOCKER_BIN" -H "unix://$SOCK" pull -q "$REF" >/dev/null 2>"$WORK/stderr"
    RC=$?
    sleep 0.3
    SLOG=$(collect_server)
    DLOG=$(tail -c +"$((OFF_D + 1))" "$WORK/dockerd.log" | msgs |
      grep -E '^(hostDir: |crt: |cert: |key: |Trying to pull|Error getting v2 registry|Attempting next endpoint|Not continuing with pull|Error )' |
      sed -E 's/(127\.0\.0\.1|\[::1\]):[0-9]+->/\1:PORT->/')
    SEEN=$(printf '%s\n' "$DLOG" | grep -E '^(hostDir|crt|cert|key): ' || true)
    unlock
    emit "$RC" "$(cat "$WORK/stderr")" "$SEEN" "$DLOG" "$SLOG"
    ;;
  skopeo)
    mkdir -p "$TREE/root"
    mark_logs
    in_ns env HOME="$TREE/root" timeout 60 skopeo inspect --raw "docker://$REF" >/dev/null 2>"$WORK/stderr"
    RC=$?
    sleep 0.3
    SLOG=$(collect_server)
    SEEN=$(in_ns env HOME="$TREE/root" timeout 60 skopeo --debug inspect --raw "docker://$REF" 2>&1 >/dev/null | msgs |
      grep -E '^(Looking for TLS certificates| crt: | cert: | key: |error reading certificate|Trying to access)' | sed 's/^ //')
    emit "$RC" "$(cat "$WORK/stderr")" "$SEEN" "" "$SLOG"
    ;;
  ctr)
    csock=$ORACLE_STATE/docker-exec/containerd/containerd.sock
    if ! dockerd_ok || [ ! -S "$csock" ]; then
      emit null "containerd unavailable (ctr uses the oracle dockerd's containerd)" "" "" ""
      exit 0
    fi
    ctr_cmd=(in_ns timeout 60 ctr --address "$csock" -n certs-oracle-hostctx)
    mark_logs
    "${ctr_cmd[@]}" content fetch --hosts-dir "$HOSTS_DIR" "$REF" >/dev/null 2>"$WORK/stderr"
    RC=$?
    sleep 0.3
    SLOG=$(collect_server)
    DLOG=$("${ctr_cmd[@]}" --debug content fetch --hosts-dir "$HOSTS_DIR" "$REF" 2>&1 >/dev/null |
      ctr_debug | head -20)
    SEEN=$(printf '%s\n' "$DLOG" | grep -oP '^loading host directory dir=\K.*' | sort -u | sed 's/^/dir: /')
    emit "$RC" "$(cat "$WORK/stderr")" "$SEEN" "$DLOG" "$SLOG"
    ;;
  *) usage ;;
esac
