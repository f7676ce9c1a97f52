// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The systemd units as systemd reads them (systemd-analyze verify), with
 * their ExecStart pointed at this build. */
#include "run.h"

Test(units, systemd_accepts_every_unit, .timeout = 60)
{
	const char *src = getenv("BOUCLIER_SRC"), *bin = getenv("BOUCLIER");
	char dir[128], out[8192];

	if (!src || !bin)
		cr_skip_test("run through `make test` (BOUCLIER and BOUCLIER_SRC unset)");
	if (sh("command -v systemd-analyze >/dev/null"))
		cr_skip_test("systemd-analyze is not installed");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-units-%d", getpid());
	cr_assert_eq(sh("mkdir -p %s && for u in %s/tools/systemd/*; do sed 's|/usr/local/sbin/"
			"bouclier-fetch|%s/tools/bouclier-fetch|; s|/usr/local/sbin/bouclier|%s|' "
			"\"$u\" > %s/$(basename \"$u\"); done && cp %s/bouclier@.service "
			"%s/bouclier@wan0.service", dir, src, src, bin, dir, dir, dir), 0);
	cr_expect_eq(sh_out(out, sizeof(out), "cd %s && systemd-analyze verify --man=no "
			    "bouclier@wan0.service bouclier-refresh.service bouclier-refresh.timer "
			    "2>&1", dir), 0, "%s", out);
	cr_expect_eq(sh("grep -q '^Type=notify' %s/bouclier@wan0.service && grep -q "
			"'^ExecStart=.* watch %%i' %s/bouclier@wan0.service && grep -q "
			"'^BindsTo=sys-subsystem-net-devices-%%i.device' %s/bouclier@wan0.service",
			dir, dir, dir), 0, "the unit runs watch, bound to its device");
	cr_expect_eq(sh("grep -q '^Before=network-pre.target' %s/bouclier@wan0.service", dir), 0,
		     "it attaches before the network is configured: before an inline box's "
		     "bridge forwards");
	sh("rm -rf %s", dir);
}
