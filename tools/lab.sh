#!/bin/sh
# lab.sh - a two-namespace lab for the demo, the end-to-end tests and the
# benchmark.  Nothing outside the two namespaces it creates is touched.
#
#   lab.sh up NAME     create NAME-wan (the town's side, where bouclier runs
#                      on interface wan0) and NAME-net (the Internet, net0)
#   lab.sh relink NAME delete the wan0-net0 pair and create it again, as a
#                      PPPoE redial or an ifdown/ifup does (new ifindex)
#   lab.sh lan NAME    add NAME-lan, a machine of the town (host0,
#                      10.10.0.23/24, 2001:db8:10::23/64) behind NAME-wan,
#                      which becomes its router (lan0 10.10.0.1,
#                      2001:db8:10::1) and masquerades both families out of
#                      wan0 with nftables; servers appear in NAME-net on lo:
#                      203.0.113.66-.68, 2001:db8:c2::66-68
#   lab.sh bridge NAME an inline box instead: NAME-wan is the box, br0 over
#                      out0 (to the provider's router, isp0 in NAME-net) and
#                      in0 (to the town, town0 in NAME-lan), 198.51.100.2/24
#                      and 2001:db8:100::2/64 on br0; the router is
#                      198.51.100.1, 2001:db8:100::1; the town has
#                      198.51.100.20 and 2001:db8:100::20 (a machine with a
#                      public address), and 10.10.0.23 on lo (a machine
#                      behind the town's own NAT, which leaves as
#                      198.51.100.21); the Internet's sources and servers are
#                      on lo in NAME-net: 203.0.113.5, .8, .66, .68,
#                      2001:db8:bad::7, 2001:db8:cafe::8, 2001:db8:c2::66, ::68
#   lab.sh outside NAME delete the box's outside port and create it again,
#                      put back in br0 and up, as a replugged network card
#                      and the network configuration do (new ifindex)
#   lab.sh down NAME   remove them; safe to run twice
#
# Addresses (documentation ranges only):
#   link          192.0.2.1/24 (wan0)  <->  192.0.2.2/24 (net0)
#                 2001:db8:1::1/64     <->  2001:db8:1::2/64
#   sources in NAME-net, on lo: 198.51.100.7, 198.51.100.8, 198.51.100.70,
#                 203.0.113.5,
#                 2001:db8:bad::7, 2001:db8:cafe::8
#   10.10.0.0/24 exists only inside the lab's namespaces
set -eu

cmd=${1:-}
name=${2:-}
[ -n "$name" ] || { echo "usage: lab.sh up|relink|lan|bridge|outside|down NAME" >&2; exit 64; }
wan="$name-wan"
net="$name-net"

lan="$name-lan"

down() {
	ip netns del "$wan" 2>/dev/null || true
	ip netns del "$net" 2>/dev/null || true
	ip netns del "$lan" 2>/dev/null || true
}

link() {
	ip link add wan0 netns "$wan" type veth peer name net0 netns "$net"
	ip -n "$wan" addr add 192.0.2.1/24 dev wan0
	ip -n "$wan" addr add 2001:db8:1::1/64 dev wan0 nodad
	ip -n "$net" addr add 192.0.2.2/24 dev net0
	ip -n "$net" addr add 2001:db8:1::2/64 dev net0 nodad
	ip -n "$wan" link set wan0 up
	ip -n "$net" link set net0 up
	ip -n "$wan" route add 198.51.100.0/24 via 192.0.2.2
	ip -n "$wan" route add 203.0.113.0/24 via 192.0.2.2
	ip -n "$wan" -6 route add 2001:db8::/32 via 2001:db8:1::2
	# veth drops what XDP passes unless the peer has an XDP program or GRO.
	ip netns exec "$net" ethtool -K net0 gro on >/dev/null 2>&1 || true
	ip netns exec "$wan" ethtool -K wan0 gro on >/dev/null 2>&1 || true
}

# The inline box's outside port: out0 in br0, its peer the provider's router,
# whose hardware address stays the same when the port is created again.
outside() {
	ip link add out0 netns "$wan" type veth peer name isp0 netns "$net" \
		address 02:00:00:00:00:01
	ip -n "$net" addr add 198.51.100.1/24 dev isp0
	ip -n "$net" addr add 2001:db8:100::1/64 dev isp0 nodad
	ip -n "$wan" link set out0 master br0
	ip -n "$net" link set isp0 up
	ip -n "$wan" link set out0 up
	ip netns exec "$net" ethtool -K isp0 gro on >/dev/null 2>&1 || true
	ip netns exec "$wan" ethtool -K out0 gro on >/dev/null 2>&1 || true
}

case "$cmd" in
up)
	down
	trap down EXIT
	ip netns add "$wan"
	ip netns add "$net"
	# No duplicate address detection: addresses are usable at once.
	for ns in "$wan" "$net"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_dad=0
	done
	ip -n "$wan" link set lo up
	ip -n "$net" link set lo up
	for a in 198.51.100.7/32 198.51.100.8/32 198.51.100.70/32 203.0.113.5/32; do
		ip -n "$net" addr add "$a" dev lo
	done
	for a in 2001:db8:bad::7/128 2001:db8:cafe::8/128; do
		ip -n "$net" addr add "$a" dev lo nodad
	done
	link
	trap - EXIT
	;;
relink)
	ip -n "$wan" link del wan0 2>/dev/null || true
	link
	;;
lan)
	ip netns add "$lan"
	ip netns exec "$lan" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0
	ip link add lan0 netns "$wan" type veth peer name host0 netns "$lan"
	ip -n "$lan" link set lo up
	ip -n "$wan" addr add 10.10.0.1/24 dev lan0
	ip -n "$wan" addr add 2001:db8:10::1/64 dev lan0 nodad
	ip -n "$lan" addr add 10.10.0.23/24 dev host0
	ip -n "$lan" addr add 2001:db8:10::23/64 dev host0 nodad
	ip -n "$wan" link set lan0 up
	ip -n "$lan" link set host0 up
	ip -n "$lan" route add default via 10.10.0.1
	ip -n "$lan" -6 route add default via 2001:db8:10::1
	ip netns exec "$wan" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	printf 'table inet town {\n chain post {\n  type nat hook postrouting priority srcnat;\n'\
'  oifname "wan0" masquerade\n }\n}\n' | ip netns exec "$wan" nft -f -
	for a in 203.0.113.66/32 203.0.113.67/32 203.0.113.68/32; do
		ip -n "$net" addr add "$a" dev lo
	done
	for a in 2001:db8:c2::66/128 2001:db8:c2::67/128 2001:db8:c2::68/128; do
		ip -n "$net" addr add "$a" dev lo nodad
	done
	ip netns exec "$lan" ethtool -K host0 gro on >/dev/null 2>&1 || true
	ip netns exec "$wan" ethtool -K lan0 gro on >/dev/null 2>&1 || true
	;;
bridge)
	down
	trap down EXIT
	for ns in "$wan" "$net" "$lan"; do
		ip netns add "$ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_dad=0
		ip -n "$ns" link set lo up
	done
	for a in 203.0.113.5 203.0.113.8 203.0.113.66 203.0.113.68; do
		ip -n "$net" addr add "$a/32" dev lo
	done
	for a in 2001:db8:bad::7 2001:db8:cafe::8 2001:db8:c2::66 2001:db8:c2::68; do
		ip -n "$net" addr add "$a/128" dev lo nodad
	done
	ip -n "$wan" link add br0 type bridge
	ip -n "$wan" addr add 198.51.100.2/24 dev br0
	ip -n "$wan" addr add 2001:db8:100::2/64 dev br0 nodad
	ip -n "$wan" link set br0 up
	outside
	ip link add in0 netns "$wan" type veth peer name town0 netns "$lan"
	ip -n "$wan" link set in0 master br0
	ip -n "$wan" link set in0 up
	ip -n "$wan" route add default via 198.51.100.1
	ip -n "$wan" -6 route add default via 2001:db8:100::1
	ip -n "$lan" addr add 198.51.100.20/24 dev town0
	ip -n "$lan" addr add 198.51.100.21/24 dev town0
	ip -n "$lan" addr add 2001:db8:100::20/64 dev town0 nodad
	ip -n "$lan" addr add 10.10.0.23/32 dev lo
	ip -n "$lan" link set town0 up
	ip -n "$lan" route add default via 198.51.100.1
	ip -n "$lan" -6 route add default via 2001:db8:100::1
	printf 'table ip town {\n chain post {\n  type nat hook postrouting priority srcnat;\n'\
'  ip saddr 10.10.0.0/24 snat to 198.51.100.21\n }\n}\n' | ip netns exec "$lan" nft -f -
	ip netns exec "$wan" ethtool -K in0 gro on >/dev/null 2>&1 || true
	ip netns exec "$lan" ethtool -K town0 gro on >/dev/null 2>&1 || true
	trap - EXIT
	;;
outside)
	ip -n "$wan" link del out0 2>/dev/null || true
	outside
	;;
down)
	down
	;;
*)
	echo "usage: lab.sh up|relink|lan|bridge|outside|down NAME" >&2
	exit 64
	;;
esac
