#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# bench_region.sh - the observatory at the scale of a département: TOWNS
# towns' `weather --json` reports (schema /3) of SOURCES sources each are
# generated into a directory, then `bouclier observatory DIR --publish LIST
# --key KEY` is timed end to end, with its peak memory, by GNU time.  The
# reports look like real ones: 30 days and 24 hours of figures, each source
# with its services and feeds or behaviour; a third of each town's sources
# come from 5,000 scanners that every town meets, the rest are its own, so
# the list holds about 5,000 sources.  The target is under 2 s.
#
#   tools/bench_region.sh [--towns N] [--sources N] [--dir DIR] [--json]
#
# --dir keeps the reports there (made once, reused while they are there);
# else they go to a temporary directory, removed at the end.  --json prints
# one JSON object (towns, sources, report_bytes, listed, seconds, peak_kb)
# for make bench.  BOUCLIER names the command (default: build/bouclier
# beside this script).  Needs python3 and GNU time (/usr/bin/time, package
# time).  Exit 0, or 1 with the reason.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
bouclier=${BOUCLIER:-$src/build/bouclier}
towns=1000 sources=1000 dir= json=0
while [ $# -gt 0 ]; do
	case $1 in
	--towns) towns=$2; shift 2 ;;
	--sources) sources=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--json) json=1; shift ;;
	-h|--help) sed -n '3,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "bench_region.sh: unknown argument $1 (see --help)" >&2; exit 1 ;;
	esac
done
for t in python3 /usr/bin/time "$bouclier"; do
	command -v "$t" >/dev/null || { echo "bench_region.sh: needs $t" >&2; exit 1; }
done
work=$(mktemp -d /tmp/bouclier-bench-region.XXXXXX)
trap 'rm -rf "$work"' EXIT
[ -n "$dir" ] || dir=$work/reports
mkdir -p "$dir"

if [ "$(find "$dir" -name '*.json' | wc -l)" != "$towns" ]; then
	python3 - "$dir" "$towns" "$sources" <<'EOF'
import json, os, random, sys, time
out, towns, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(21)
now = int(time.time())
for t in range(towns):
    rows = []
    for i in range(per):
        if i < per // 3:  # the scanners every town meets
            x = random.randrange(5000)
            a = "%d.%d.%d.9" % (11 + (x >> 16) % 100, (x >> 8) & 255, x & 255)
        else:             # the town's own
            x = 100000 + t * per + i
            a = "%d.%d.%d.%d" % (11 + (x >> 16) % 100, (x >> 8) & 255, x & 255, 1 + t % 200)
        detected = random.random() < 0.2
        rows.append([a, random.randint(1, 40), now - random.randrange(3600),
                     random.choice([["ssh"], ["ssh", "rdp"], ["https"], ["smb", "8443"]]),
                     [] if detected else random.choice([["spamhaus-drop"], ["scanners", "dshield"]]),
                     "port scan" if detected else None])
    report = {"schema": "bouclier.weather/3", "town": "town-%04d" % t, "level": "light rain",
              "generated_at_unix": now - 60,
              "figures": {"attacks": 1000 + t, "packets": 99999, "regional": t % 50,
                          "hourly": [{"hour": h, "attacks": 10} for h in range(24)],
                          "last_30_days": [{"date": "2026-11-%02d" % (d + 1), "attacks": 100,
                                            "packets": 1000} for d in range(29)],
                          "sources": {"fields": ["address", "attacks", "last_seen_unix",
                                                 "services", "listed", "detected"],
                                      "limit": per, "rows": rows}}}
    with open(os.path.join(out, "town-%04d.json" % t), "w") as f:
        json.dump(report, f, separators=(",", ":"))
EOF
fi
"$bouclier" keygen "$work/region.key" >/dev/null
/usr/bin/time -f '%e %M' -o "$work/time" "$bouclier" observatory "$dir" \
	--publish "$work/region.list" --key "$work/region.key" --json >"$work/out.json" 2>"$work/err" ||
	{ cat "$work/err" >&2; exit 1; }
read -r seconds peak <"$work/time"
bytes=$(du -sb "$dir" | cut -f1)
listed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["region"]["entries"])' \
	"$work/out.json")
if [ "$json" = 1 ]; then
	python3 -c 'import json,sys; print(json.dumps(dict(zip(
		["towns","sources","report_bytes","listed","seconds","peak_kb"],
		[int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),int(sys.argv[4]),
		 float(sys.argv[5]),int(sys.argv[6])]))))' \
		"$towns" "$sources" "$bytes" "$listed" "$seconds" "$peak"
else
	echo "region publish: $towns towns x $sources sources ($((bytes / 1000000)) MB of reports):" \
		"$listed sources listed in $seconds s, peak $((peak / 1024)) MB"
fi
