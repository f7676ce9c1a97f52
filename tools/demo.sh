#!/bin/bash
# demo.sh BOUCLIER - shows the filter on a lab: two network namespaces joined
# by a veth pair, bouclier attached to the town's side, pings from listed and
# unlisted sources on the Internet side.  Removes everything it made.
set -euo pipefail

bin=${1:?usage: demo.sh path/to/bouclier}
here=$(cd "$(dirname "$0")" && pwd)
lab=bdemo$$
export BOUCLIER_PIN_DIR=/sys/fs/bpf/bouclier-demo-$$
export BOUCLIER_STATE_DIR=$(mktemp -d /tmp/bouclier-demo.XXXXXX)

[ "$(id -u)" = 0 ] || { echo "make demo needs root (network namespaces, XDP)" >&2; exit 77; }

cleanup() {
	nsenter --net=/run/netns/$lab-wan "$bin" detach wan0 >/dev/null 2>&1 || true
	rm -rf "$BOUCLIER_PIN_DIR" "$BOUCLIER_STATE_DIR"
	"$here/lab.sh" down $lab
}
trap cleanup EXIT

wan() { nsenter --net=/run/netns/$lab-wan "$bin" "$@"; }
ping_from() { # SOURCE DEST -> replies out of 5
	local out
	out=$(ip netns exec $lab-net ping -n -q -c 5 -i 0.05 -W 1 -I "$1" "$2" 2>/dev/null || true)
	sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out"
}

echo "== lab: $lab-wan (the town, wan0 192.0.2.1) <-> $lab-net (the Internet)"
"$here/lab.sh" up $lab
echo "== bouclier attach wan0"
wan attach wan0
echo "== bouclier feed load demo $here/examples/sample-feed.txt"
wan feed load demo "$here/examples/sample-feed.txt" --category scanners
echo
printf '%-18s %-15s %-8s %s\n' source listed? replies verdict
for src in 198.51.100.7 198.51.100.70 203.0.113.5 198.51.100.8 2001:db8:bad::7 2001:db8:cafe::8; do
	case $src in *:*) dst=2001:db8:1::1 ;; *) dst=192.0.2.1 ;; esac
	case $src in 198.51.100.8|2001:db8:cafe::8) listed=no ;; *) listed=yes ;; esac
	n=$(ping_from "$src" "$dst")
	[ "$n" = 0 ] && verdict=dropped || verdict=passed
	printf '%-18s %-15s %-8s %s\n' "$src" "$listed" "${n:-0}/5" "$verdict"
done
echo
echo "== bouclier stats"
wan stats
echo
echo "== bouclier status"
wan status
echo
echo "== bouclier weather --lang fr"
printf '[general]\ntown = Démo-sur-Mer\n' > "$BOUCLIER_STATE_DIR/bouclier.conf"
BOUCLIER_CONFIG=$BOUCLIER_STATE_DIR/bouclier.conf wan weather --lang fr
