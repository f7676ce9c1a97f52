// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bouclier - the command.  Every command is declared once, beside its code,
 * with its typed options (cli.h), and listed in commands.c; this file hands
 * that list to the parser, resolves the configuration and state once
 * (ctx.h), runs the command and turns its 0 or -errno into a sysexits code
 * (exit_code()).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "attach.h"
#include "commands.h"
#include "ctx.h"
#include "log.h"
#include "pins.h"
#include "state.h"

/* sysexits: documented by `bouclier help` and bouclier(8), from exit_docs[]. */
static int exit_code(int err)
{
	switch (err) {
	case 0:
		return EX_OK;
	case -E_USAGE:
		return EX_USAGE;
	case -E_CONFIG:
		return EX_CONFIG;
	case -EINVAL:
	case -EBADMSG:
	case -ERANGE:
		return EX_DATAERR;
	case -ENOENT:
	case -EISDIR:
		return EX_NOINPUT;
	case -ENODEV:
	case -ENXIO:
	case -EEXIST:
	case -EOPNOTSUPP:
		return EX_UNAVAILABLE;
	case -EPROTO:
		return EX_SOFTWARE;
	case -EWOULDBLOCK:
	case -EBUSY:
		return EX_TEMPFAIL;
	case -EPERM:
	case -EACCES:
		return EX_NOPERM;
	default:
		return EX_OSERR;
	}
}

/* A large list is a few arrays of tens of megabytes each (parsed, sorted,
 * folded, compiled), and on a virtual machine with shadow page tables each
 * first touch of a 4 KiB page costs microseconds: 54,000 faults were a
 * quarter of loading 4M IPv4 + 1M IPv6 prefixes.  glibc gives its large
 * blocks transparent huge pages when asked through its tunable (2.35 and
 * later; without it, or with THP "never", nothing changes), which is read
 * when the program starts: so a command that reads or compiles whole lists
 * (CMD_LISTS) starts once more, at once, with the tunable set; the others
 * are not worth the second start.  BOUCLIER_NO_HUGEPAGES=1 keeps the first. */
#define HUGE_TUNABLE "glibc.malloc.hugetlb=1"
static void want_huge_pages(char **argv)
{
	const char *t = getenv("GLIBC_TUNABLES");
	char buf[1024], self[PATH_MAX];
	ssize_t n;

	if (getenv("BOUCLIER_NO_HUGEPAGES") || (t && strstr(t, "glibc.malloc.hugetlb")))
		return;
	if (snprintf(buf, sizeof(buf), "%s%s%s", t && *t ? t : "", t && *t ? ":" : "",
		     HUGE_TUNABLE) >= (int)sizeof(buf) ||
	    setenv("GLIBC_TUNABLES", buf, 1))
		return;
	/* by its own path, not /proc/self/exe: ps and the journal name a
	 * process after the file it was started from */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || n >= (ssize_t)sizeof(self) - 1)
		return;
	self[n] = '\0';
	execv(self, argv);
	/* no /proc, or the file was replaced since: go on with small pages */
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct ctx c = { 0 };
	struct state s = { .lock_fd = -1 };
	void *opts = NULL;
	int err;

	err = cli_parse(commands, argc, argv, &c, &cmd, &opts);
	if (!err && c.version) {
		printf("bouclier %s\n", cli_version());
		free(opts);
		return EX_OK;
	}
	if (err || c.help) {
		cli_usage(err ? stderr : stdout, commands, cmd);
		free(opts);
		return exit_code(err);
	}
	if (cmd->flags & CMD_LISTS)
		want_huge_pages(argv); /* returns only when it cannot start again */
	log_setup(LOG_LVL_INFO + c.verbose, 0);
	log_phase("start");
	err = ctx_resolve(&c, cmd->flags & CMD_NO_CONFIG);
	if (!err) {
		pins_set_dir(c.pin_dir);
		pins_set_repair(attach_repair_pins);
		/* the sizes [detect] gives its maps, for whatever loads them:
		 * an attach, a reload, a repair of a removed pin */
		attach_set_sizes(c.cfg.detect.sources, c.cfg.detect.peers,
				 c.cfg.detect.max_bans);
	}
	if (!err && (cmd->flags & CMD_ROOT))
		err = need_root(cmd->name);
	if (!err && (cmd->flags & (CMD_STATE | CMD_STATE_READ))) {
		err = state_open_loaded(&s, c.state_dir,
					cmd->flags & CMD_STATE ? STATE_LOCK_WAIT : STATE_READ_ONLY);
		c.state = &s;
	}
	if (!err)
		err = cmd->run(&c, opts);
	state_close(&s);
	ctx_free(&c);
	free(opts);
	return exit_code(err);
}
