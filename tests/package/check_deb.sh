#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# check_deb.sh - what a town's IT person gets: the Debian package as
# `make deb` builds it, and `make` on a machine that lacks a build package.
#
#   tests/package/check_deb.sh BUILD_DIR     (make check-deb; make test runs it)
#
# Builds the .deb (without its unit tests: make test runs them apart), runs
# lintian, which must report no error and no warning (debian/ overrides the
# two that are meant, each with its reason), then reads the package with
# dpkg-deb: files, owners and modes, the conffile, the dependencies, the
# units' paths, the maintainer scripts, the version.  Nothing is installed.
# Without dpkg-buildpackage, debhelper or lintian, the package checks are
# reported as skipped, never as passed.  No root needed.  About a minute.
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "${1:-$src/build}" && build=$(cd "${1:-$src/build}" && pwd) && [ -n "$build" ] || exit 1
tmp=$(mktemp -d /tmp/bouclier-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0

pass() { echo "  ok       $*"; passed=$((passed + 1)); }
fail() { echo "  FAIL     $*"; failed=$((failed + 1)); }
skip() { echo "  skip     $*"; skipped=$((skipped + 1)); }
check() { # check "what" command...
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; [ -z "$out" ] || echo "$out" | sed 's/^/           /'; fi
}
# A make of its own, not a job of the make that runs this script.
submake() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$src" --no-print-directory "$@"; }

# ---- make on a machine without the build packages
out=$(submake BUILD="$tmp/fresh" CLANG=/nonexistent/clang PREFLIGHT_INC=/nonexistent 2>&1)
rc=$?
check "make without clang or headers fails before compiling" \
	test "$rc" != 0 -a ! -e "$tmp/fresh/obj"
check "... names the Debian packages and make deps" \
	grep -q "missing the Debian packages .*clang libbpf-dev.*libjansson-dev libmnl-dev libsystemd-dev libsodium-dev" <<<"$out"
check "... and says to run make deps" grep -q "make deps" <<<"$out"

# ---- the package
missing=
for t in dpkg-buildpackage dh dpkg-deb lintian; do
	command -v $t >/dev/null || missing+=" $t"
done
if [ -n "$missing" ]; then
	skip "the Debian package:$missing not installed (make deps installs debhelper and lintian)"
	echo "check-deb: $passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
	exit
fi

version=$(sed -n '1s/^[^ ]* (\([^)-]*\).*/\1/p' "$src/debian/changelog")
arch=$(dpkg --print-architecture)
deb=$build/bouclier_${version}_${arch}.deb
rm -f "$deb"
tree_before=$(cd "$src" && git status --porcelain --ignored 2>/dev/null)
start=$(date +%s)
if submake deb BUILD="$build" DEB_BUILD_OPTIONS=nocheck >"$tmp/make-deb.log" 2>&1 && [ -f "$deb" ]; then
	pass "make deb: $(basename "$deb") in $(($(date +%s) - start)) s"
else
	fail "make deb"
	tail -30 "$tmp/make-deb.log"
	echo "check-deb: $passed passed, $failed failed, $skipped skipped"
	exit 1
fi
check "make deb leaves the tree as it was (git status, ignored files too)" \
	diff <(echo "$tree_before") <(cd "$src" && git status --porcelain --ignored 2>/dev/null)

# lintian runs as root here too (CI); it only reads the files.
lintian --fail-on error,warning --info "$build/deb/bouclier_${version}_${arch}.changes" \
	>"$tmp/lintian" 2>&1
check "lintian: no error, no warning" test $? = 0
grep -v '^running with root privileges is not recommended' "$tmp/lintian" | sed 's/^/           /'

# ---- what the package holds: "mode owner path", from dpkg-deb -c
dpkg-deb -c "$deb" | awk '{ p = $6; sub(/^\./, "", p); print $1, $2, p }' >"$tmp/contents"
has() { # has MODE PATH
	grep -qxF -- "$1 root/root $2" "$tmp/contents" || {
		echo "wanted: $1 root/root $2"
		echo "found:  $(grep -F " $2" "$tmp/contents" || echo nothing)"
		return 1
	}
}
for f in /usr/sbin/bouclier /usr/sbin/bouclier-fetch; do
	check "$f, 0755" has -rwxr-xr-x "$f"
done
for f in /lib/systemd/system/bouclier@.service /lib/systemd/system/bouclier-refresh.service \
	/lib/systemd/system/bouclier-refresh.timer /etc/bouclier/bouclier.conf \
	/usr/share/doc/bouclier/examples/bouclier.conf /usr/share/doc/bouclier/examples/crontab \
	/usr/share/doc/bouclier/README.md /usr/share/doc/bouclier/SECURITY.md \
	/usr/share/doc/bouclier/docs/design.md /usr/share/doc/bouclier/docs/performance.md \
	/usr/share/doc/bouclier/copyright \
	/usr/share/man/man8/bouclier.8.gz /usr/share/man/man5/bouclier.conf.5.gz; do
	check "$f, 0644" has -rw-r--r-- "$f"
done
check "/var/lib/bouclier/, 0700" has drwx------ /var/lib/bouclier/
check "bouclier-fetch(8) is bouclier(8)" \
	grep -qx 'lrwxrwxrwx root/root /usr/share/man/man8/bouclier-fetch.8.gz' "$tmp/contents"
check "every file is root's" bash -c "! grep -v ' root/root ' '$tmp/contents'"

# ---- control: conffile, dependencies, version, maintainer scripts
dpkg-deb -e "$deb" "$tmp/control"
check "conffiles: /etc/bouclier/bouclier.conf and nothing else" \
	test "$(cat "$tmp/control/conffiles")" = /etc/bouclier/bouclier.conf
depends=$(dpkg-deb -f "$deb" Depends)
for d in curl libbpf1 libcurl4 libjansson4 libmnl0 libsystemd0 libsodium23 libc6; do
	check "Depends: $d" grep -qE "(^|, |\| )$d( |,|$)" <<<"$depends"
done
check "the package's version is debian/changelog's ($version)" \
	test "$(dpkg-deb -f "$deb" Version)" = "$version"
check "the timer is enabled on installation, the template is not" \
	bash -c "grep -q \"deb-systemd-helper enable 'bouclier-refresh.timer'\" '$tmp/control/postinst' &&
		! grep -q \"enable 'bouclier@\" '$tmp/control/postinst'"
check "nothing starts bouclier-refresh.service during installation" \
	bash -c "! grep -q \"invoke .*'bouclier-refresh.service'\" '$tmp/control/postinst'"
for s in postinst prerm postrm; do
	check "$s: sh -n" sh -n "$tmp/control/$s"
done

# prerm remove, with systemd and bouclier stand-ins: the watchers stop, then
# every interface with a pinned link is detached.
mkdir -p "$tmp/bin" "$tmp/pins" "$tmp/run"
touch "$tmp/pins/bouclier_link_eth0" "$tmp/pins/bouclier_link_ppp0" "$tmp/pins/bouclier_table"
cat >"$tmp/bin/systemctl" <<'EOF'
#!/bin/sh
echo "bouclier@eth0.service loaded active running bouclier XDP filter on eth0"
EOF
printf '#!/bin/sh\necho "$(basename "$0") $*" >>"%s/calls"\n' "$tmp" >"$tmp/bin/deb-systemd-invoke"
cp "$tmp/bin/deb-systemd-invoke" "$tmp/bin/bouclier"
chmod +x "$tmp/bin/"*
sed "s|/run/systemd/system|$tmp/run|g" "$tmp/control/prerm" >"$tmp/prerm"
PATH=$tmp/bin:$PATH BOUCLIER_PIN_DIR=$tmp/pins sh "$tmp/prerm" remove >/dev/null 2>&1
check "prerm remove: stops bouclier@eth0, then detaches eth0 and ppp0" \
	test "$(head -3 "$tmp/calls" 2>/dev/null)" = "$(printf '%s\n' \
		'deb-systemd-invoke stop bouclier@eth0.service' 'bouclier detach eth0' \
		'bouclier detach ppp0')"
rm -f "$tmp/calls"
PATH=$tmp/bin:$PATH BOUCLIER_PIN_DIR=$tmp/pins sh "$tmp/prerm" upgrade >/dev/null 2>&1
check "prerm upgrade: detaches nothing" test ! -e "$tmp/calls"

# ---- the files themselves
dpkg-deb -x "$deb" "$tmp/root"
check "bouclier --version says $version" \
	test "$("$tmp/root/usr/sbin/bouclier" --version)" = "bouclier $version"
for u in "$tmp"/root/lib/systemd/system/*; do
	exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
	[ -n "$exe" ] || continue
	check "$(basename "$u"): ExecStart=$exe is in the package" test -x "$tmp/root$exe"
done
check "the unit's documentation is in the package" test -f "$tmp/root$(sed -n \
	's|^Documentation=.* file://\([^ ]*\).*|\1|p' "$tmp/root/lib/systemd/system/bouclier@.service")"
check "the installed configuration passes config check" \
	"$tmp/root/usr/sbin/bouclier" config check --config "$tmp/root/etc/bouclier/bouclier.conf"
check "... and is the example under /usr/share/doc" \
	cmp "$tmp/root/etc/bouclier/bouclier.conf" "$tmp/root/usr/share/doc/bouclier/examples/bouclier.conf"

echo "check-deb: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
