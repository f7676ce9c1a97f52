#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# lapi.sh: run a private CrowdSec Local API (LAPI) for tests, without systemd,
# without network access and without touching /etc/crowdsec or /var/lib/crowdsec
# (tests/system/test_lapi.c runs it inside the lab's WAN namespace).
#
# Needs the binaries of Debian's `crowdsec` package (bookworm: 1.4.6), installed
# or unpacked (`make test` unpacks it into build/crowdsec): CROWDSEC_BIN and
# CSCLI_BIN name them. Nothing else (no hub, no CAPI, no root capabilities).
#
#   lapi.sh start DIR PORT        create DIR (config + sqlite DB), start LAPI on
#                                 127.0.0.1:PORT, wait until /health answers
#   lapi.sh key DIR NAME [KEY]    register a bouncer, print its API key (+ "\n")
#   lapi.sh cscli DIR ARGS...     run cscli against this instance
#                                 (e.g. decisions add --ip 192.0.2.7 -d 1h)
#   lapi.sh stop DIR [--keep]     stop LAPI (TERM, then KILL after 10 s) and
#                                 remove DIR (only if start created it),
#                                 unless --keep
#
# Every wait is bounded. Exit status is non-zero on any failure; on a failed
# start the log tail is printed to stderr and the process is killed.
set -u

CROWDSEC_BIN=${CROWDSEC_BIN:-/usr/bin/crowdsec}
CSCLI_BIN=${CSCLI_BIN:-/usr/bin/cscli}
START_TIMEOUT_DS=${LAPI_START_TIMEOUT_DS:-200}   # tenths of a second (20 s)
STOP_TIMEOUT_DS=${LAPI_STOP_TIMEOUT_DS:-100}     # tenths of a second (10 s)
MARKER=.lapi-sh

die() { echo "lapi.sh: $*" >&2; exit 1; }

absdir() {  # print absolute path of $1 (may not exist yet)
    case $1 in
        /*) printf '%s\n' "${1%/}" ;;
        *) printf '%s\n' "$(pwd)/${1%/}" ;;
    esac
}

# Is something answering HTTP on 127.0.0.1:$1 /health ?
health() {
    local port=$1
    if command -v curl >/dev/null 2>&1; then
        curl -sf -m 1 -o /dev/null "http://127.0.0.1:$port/health"
    else
        timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port &&
            printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
            head -n1 <&3 | grep -q ' 200 '" 2>/dev/null
    fi
}

port_in_use() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Is $1 a live crowdsec process started with config $2 ?
is_our_pid() {
    local pid=$1 cfg=$2
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "-c $cfg "
}

write_config() {
    local dir=$1 port=$2
    cat > "$dir/config.yaml" <<EOF
# Private LAPI-only CrowdSec 1.4.6 config, written by lapi.sh.
common:
  daemonize: false
  log_media: stdout
  log_level: info
config_paths:
  config_dir: $dir/
  data_dir: $dir/data/
  simulation_path: $dir/simulation.yaml
  hub_dir: $dir/hub/
  index_path: $dir/hub/.index.json
db_config:
  type: sqlite
  db_path: $dir/data/crowdsec.db
  use_wal: false
api:
  client:
    credentials_path: $dir/local_api_credentials.yaml
  server:
    log_level: info
    listen_uri: 127.0.0.1:$port
    profiles_path: $dir/profiles.yaml
    console_path: $dir/console.yaml
    # no online_client: no Central API (CAPI), no network
prometheus:
  enabled: false
EOF
    cat > "$dir/profiles.yaml" <<'EOF'
name: default_ip_remediation
filters:
 - Alert.Remediation == true && Alert.GetScope() == "Ip"
decisions:
 - type: ban
   duration: 4h
on_success: break
EOF
    printf 'simulation: off\n' > "$dir/simulation.yaml"
}

cmd_start() {
    [ $# -eq 2 ] || die "usage: lapi.sh start DIR PORT"
    local dir port cfg pid i
    dir=$(absdir "$1"); port=$2; cfg=$dir/config.yaml
    case $port in ''|*[!0-9]*) die "bad port '$port'" ;; esac
    [ -x "$CROWDSEC_BIN" ] || die "$CROWDSEC_BIN not found (apt-get install crowdsec)"
    [ -x "$CSCLI_BIN" ] || die "$CSCLI_BIN not found (apt-get install crowdsec)"
    if [ -f "$dir/crowdsec.pid" ] && is_our_pid "$(cat "$dir/crowdsec.pid")" "$cfg"; then
        die "already running in $dir (pid $(cat "$dir/crowdsec.pid"))"
    fi
    port_in_use "$port" && die "127.0.0.1:$port is already in use"

    if [ ! -e "$dir" ]; then
        mkdir -p "$dir" || die "cannot create $dir"
        : > "$dir/$MARKER"
    fi
    mkdir -p "$dir/data" "$dir/log" || die "cannot create $dir/data"
    write_config "$dir" "$port"

    # A machine (watcher) account: cscli decisions add/delete/list talk to
    # the LAPI with it. Written straight into the sqlite DB, LAPI not needed.
    "$CSCLI_BIN" -c "$cfg" --error machines add lapi-sh --auto --force \
        -f "$dir/local_api_credentials.yaml" >>"$dir/log/setup.log" 2>&1 \
        || { cat "$dir/log/setup.log" >&2; die "cscli machines add failed"; }

    setsid "$CROWDSEC_BIN" -c "$cfg" -no-cs -no-capi \
        </dev/null >>"$dir/log/crowdsec.log" 2>&1 &
    pid=$!
    echo "$pid" > "$dir/crowdsec.pid"

    for ((i = 0; i < START_TIMEOUT_DS; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$dir/log/crowdsec.log" >&2
            rm -f "$dir/crowdsec.pid"
            die "crowdsec exited during start-up"
        fi
        if health "$port"; then
            echo "lapi.sh: LAPI up on http://127.0.0.1:$port (pid $pid, after ~$((i * 100)) ms)" >&2
            return 0
        fi
        sleep 0.1
    done
    tail -n 20 "$dir/log/crowdsec.log" >&2
    cmd_stop "$dir" --keep
    die "LAPI did not answer on 127.0.0.1:$port within $((START_TIMEOUT_DS / 10)) s"
}

cmd_stop() {
    [ $# -ge 1 ] || die "usage: lapi.sh stop DIR [--keep]"
    local dir keep=0 pid cfg i
    dir=$(absdir "$1"); cfg=$dir/config.yaml
    [ "${2:-}" = --keep ] && keep=1
    if [ -f "$dir/crowdsec.pid" ]; then
        pid=$(cat "$dir/crowdsec.pid")
        if is_our_pid "$pid" "$cfg"; then
            kill -TERM "$pid" 2>/dev/null
            for ((i = 0; i < STOP_TIMEOUT_DS; i++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$pid" 2>/dev/null; then
                echo "lapi.sh: pid $pid ignored TERM, sending KILL" >&2
                kill -KILL "$pid" 2>/dev/null
                for ((i = 0; i < 20; i++)); do
                    kill -0 "$pid" 2>/dev/null || break
                    sleep 0.1
                done
            fi
            kill -0 "$pid" 2>/dev/null && die "pid $pid still alive"
        fi
        rm -f "$dir/crowdsec.pid"
    fi
    if [ $keep -eq 0 ] && [ -f "$dir/$MARKER" ]; then
        rm -rf -- "$dir"
    fi
    return 0
}

cmd_key() {
    [ $# -ge 2 ] || die "usage: lapi.sh key DIR NAME [KEY]"
    local dir key
    dir=$(absdir "$1")
    if [ -n "${3:-}" ]; then
        key=$("$CSCLI_BIN" -c "$dir/config.yaml" --error bouncers add "$2" -k "$3" -o raw) \
            || die "cscli bouncers add failed"
    else
        key=$("$CSCLI_BIN" -c "$dir/config.yaml" --error bouncers add "$2" -o raw) \
            || die "cscli bouncers add failed"
    fi
    printf '%s\n' "$key"
}

cmd_cscli() {
    [ $# -ge 1 ] || die "usage: lapi.sh cscli DIR ARGS..."
    local dir
    dir=$(absdir "$1"); shift
    exec "$CSCLI_BIN" -c "$dir/config.yaml" "$@"
}

case ${1:-} in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    key) shift; cmd_key "$@" ;;
    cscli) shift; cmd_cscli "$@" ;;
    *) die "usage: lapi.sh {start DIR PORT | stop DIR [--keep] | key DIR NAME [KEY] | cscli DIR ARGS...}" ;;
esac
