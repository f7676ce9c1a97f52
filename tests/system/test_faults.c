// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Faults, each ending in a clear message or self-healing, never a crash, a
 * wrong verdict or lost data: a pinned map removed by hand, bpffs
 * unmounted, a full disk, commands racing each other, a refresh killed at
 * each step, and the files bouclier writes where others could plant links.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include "lab.h"

#define N 8

/* bouclier ARGS in the WAN namespace with its state in STATE. */
static int bc(char *out, size_t len, const char *state, const char *args)
{
	return sh_out(out, len, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_STATE_DIR=%s %s %s 2>&1", lab.name, lab.pin, state, lab.bin, args);
}

static int listed(const char *addr)
{
	char out[1024], cmd[128];

	snprintf(cmd, sizeof(cmd), "lookup %s", addr);
	bouclier(out, sizeof(out), cmd);
	return strstr(out, "dropped") != NULL;
}

static void load(const char *file)
{
	char out[8192], cmd[512];

	snprintf(cmd, sizeof(cmd), "feed load x %s/%s", lab.state, file);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
}

Test(faults, a_pinned_map_removed_by_hand_is_pinned_again, .init = lab_up, .fini = lab_down,
     .timeout = 90)
{
	char out[16384];

	lab_put("a.txt", "198.51.100.7\n");
	lab_put("b.txt", "198.51.100.7\n203.0.113.0/24\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	load("a.txt");
	cr_assert_eq(sh("rm %s/bouclier_stats %s/bouclier_sets %s/bouclier_tables", lab.pin,
			lab.pin, lab.pin), 0);
	/* today's filter still runs its last table; the next change must reach it */
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0);
	load("b.txt");
	cr_expect(listed("203.0.113.9"), "the change reached the running program");
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", N), 0, "and it filters with it");
	cr_assert_eq(bouclier(out, sizeof(out), "stats --json"), 0, "%s", out);
	cr_expect_geq(json_num(out, "\"drop\"", "packets"), N, "the counters are the running "
		      "program's: %s", out);
	cr_expect_eq(sh("test -e %s/bouclier_stats && test -e %s/bouclier_sets", lab.pin, lab.pin),
		     0, "pinned again");
}

/* The pins live in bpffs: unmounting it releases the links, and with them
 * the programs.  Nothing may claim to filter then; watch puts it back. */
Test(faults, bpffs_unmounted_under_the_filter, .init = lab_up, .fini = lab_down, .timeout = 120)
{
	char out[16384], fs[64];
	long ms;

	snprintf(fs, sizeof(fs), "/tmp/bouclier-bpffs-%d", getpid());
	cr_assert_eq(sh("mkdir -p %s && mount -t bpf bpf %s", fs, fs), 0);
	snprintf(lab.pin, sizeof(lab.pin), "%s/bouclier", fs);
	lab_put("a.txt", "198.51.100.7\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	load("a.txt");
	cr_assert_eq(sh("umount -l %s", fs), 0);
	ms = wait_for(5, "! nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s %s status "
		      ">/dev/null 2>&1", lab.name, lab.pin, lab.bin);
	cr_expect_geq(ms, 0, "status says it does not filter");
	cr_assert_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"level\":\"unknown\""), "%s", out);
	/* watch mounts bpffs again and attaches with the saved lists */
	watch_start("wan0");
	ms = wait_for(10, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s %s status "
		      ">/dev/null 2>&1", lab.name, lab.pin, lab.bin);
	cr_expect_geq(ms, 0, "watch healed it");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0, "the saved list came back");
	watch_stop();
	bouclier(out, sizeof(out), "detach wan0");
	sh("umount %s 2>/dev/null; rmdir %s", fs, fs);
}

/* A full disk: every change fails before anything changed, saying why. */
Test(faults, a_full_disk_changes_nothing, .init = lab_up, .fini = lab_down, .timeout = 90)
{
	char out[16384], full[256], cmd[512];

	snprintf(full, sizeof(full), "%s/full", lab.state);
	sh("mkdir -p %s", full);
	cr_assert_eq(sh("mount -t tmpfs -o size=256k tmpfs %s", full), 0);
	lab_put("a.txt", "198.51.100.7\n");
	lab_put("big.txt", "");
	sh("python3 -c \"print('\\n'.join('10.%%d.%%d.%%d' %% (i >> 16 & 255, i >> 8 & 255, i & 255) "
	   "for i in range(40000)))\" > %s/big.txt", lab.state);
	cr_assert_eq(bc(out, sizeof(out), full, "attach wan0"), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "feed load x %s/a.txt", lab.state);
	cr_assert_eq(bc(out, sizeof(out), full, cmd), 0, "%s", out);
	ping_from("198.51.100.7", "192.0.2.1", 3);
	cr_assert_eq(bc(out, sizeof(out), full, "record"), 0, "%s", out);
	sh("cp %s/history.csv %s/history.before", full, lab.state);
	sh("dd if=/dev/zero of=%s/filler bs=4k count=1000 2>/dev/null", full); /* fills it */

	snprintf(cmd, sizeof(cmd), "feed load x %s/big.txt", lab.state);
	cr_expect_neq(bc(out, sizeof(out), full, cmd), 0, "%s", out);
	cr_expect(strstr(out, "feed x unchanged") && strstr(out, "No space left"), "%s", out);
	bc(out, sizeof(out), full, "lookup 10.0.1.1");
	cr_expect(strstr(out, "passes"), "the live list did not change: %s", out);
	bc(out, sizeof(out), full, "lookup 198.51.100.7");
	cr_expect(strstr(out, "dropped"), "%s", out);
	ping_from("198.51.100.7", "192.0.2.1", 3);
	cr_expect_neq(bc(out, sizeof(out), full, "record"), 0, "%s", out);
	cr_expect(strstr(out, "No space left"), "%s", out);
	cr_expect_eq(sh("cmp -s %s/history.csv %s/history.before", full, lab.state), 0,
		     "the history is whole");
	cr_expect_neq(sh("ls %s %s/feeds | grep -q tmp-", full, full), 0, "nothing left behind");
	bc(out, sizeof(out), full, "detach wan0");
	sh("umount %s", full);
}

Test(faults, commands_racing_each_other, .init = lab_up, .fini = lab_down, .timeout = 120)
{
	char out[16384], env[2048];
	int i;

	lab_put("a.txt", "198.51.100.7\n");
	lab_put("bouclier.conf", "");
	snprintf(env, sizeof(env), "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		 "BOUCLIER_STATE_DIR=%s %s", lab.name, lab.pin, lab.state, lab.bin);
	/* two attaches at once: one link, both say so */
	cr_assert_eq(sh_out(out, sizeof(out), "(%s attach wan0 & %s attach wan0; wait) 2>&1", env,
			    env), 0, "%s", out);
	cr_expect_eq(sh("ls %s | grep -c bouclier_link_wan0 | grep -qx 1", lab.pin), 0);
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	/* refresh and detach at once, five times: each ends whole */
	{
		char text[1024];

		snprintf(text, sizeof(text), "[general]\nstate_dir = %s\n[feed x]\npath = %s/a.txt\n",
			 lab.state, lab.state);
		lab_put("bouclier.conf", text);
	}
	for (i = 0; i < 5; i++) {
		sh_out(out, sizeof(out), "(%s refresh --config %s/bouclier.conf & %s detach wan0; "
		       "wait) 2>&1", env, lab.state, env);
		cr_expect_null(strstr(out, "Segmentation") , "%s", out);
		cr_expect_neq(sh("test -e %s", lab.pin), 0, "the last detach removed every pin: %s",
			      out);
		cr_expect_eq(sh("test -s %s/feeds/x.list", lab.state), 0, "the state is whole");
		cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
		cr_expect(listed("198.51.100.7"), "attach again makes the saved list live");
	}
	/* detach waits for whoever holds the state's lock */
	sh("flock %s/lock sleep 2 >/dev/null 2>&1 &", lab.state);
	usleep(300 * 1000);
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		cr_expect_eq(bouclier(out, sizeof(out), "detach wan0"), 0, "%s", out);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		cr_expect_geq(t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9, 1.0,
			      "detach waited for the lock");
	}
}

/* A refresh killed at each step leaves the old lists or the new ones, whole,
 * and a feed removed from the configuration keeps its file until its
 * removal is live. */
Test(faults, a_refresh_killed_at_each_step, .init = lab_up, .fini = lab_down, .timeout = 180)
{
	static const char *const points[] = { "before-swap", "after-swap", "before-save" };
	char out[16384], text[1024];
	size_t i;

	lab_put("old.txt", "198.51.100.7\n203.0.113.0/24\n");
	lab_put("new.txt", "198.51.100.7\n2001:db8:bad::/48\n");
	lab_put("gone.txt", "198.51.100.70\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		int old_live, new_live;

		snprintf(text, sizeof(text), "[general]\nstate_dir = %s\n[feed x]\npath = "
			 "%s/old.txt\n[feed gone]\npath = %s/gone.txt\n", lab.state, lab.state,
			 lab.state);
		lab_put("bouclier.conf", text);
		cr_assert_eq(sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan env "
				    "BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s %s refresh --config "
				    "%s/bouclier.conf 2>&1", lab.name, lab.pin, lab.state, lab.bin,
				    lab.state), 0, "%s", out);
		snprintf(text, sizeof(text), "[general]\nstate_dir = %s\n[feed x]\npath = "
			 "%s/new.txt\n", lab.state, lab.state);
		lab_put("bouclier.conf", text);
		cr_expect_eq(sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
				"BOUCLIER_STATE_DIR=%s BOUCLIER_FAULT=%s %s refresh --config "
				"%s/bouclier.conf >/dev/null 2>&1", lab.name, lab.pin, lab.state,
				points[i], lab.bin, lab.state), 128 + 9, "killed at %s", points[i]);
		old_live = listed("203.0.113.9");
		new_live = listed("2001:db8:bad::7");
		cr_expect(listed("198.51.100.7"), "%s: the shared entry is never lost", points[i]);
		cr_expect(old_live != new_live, "%s: old or new, whole (old %d, new %d)", points[i],
			  old_live, new_live);
		cr_expect_eq(new_live, strcmp(points[i], "before-swap") != 0, "%s", points[i]);
		if (!new_live)
			cr_expect_eq(sh("test -s %s/feeds/gone.list", lab.state), 0,
				     "%s: the removed feed's list stays while it is live", points[i]);
		cr_expect_eq(listed("198.51.100.70"), !new_live, "%s: the removed feed", points[i]);
		/* the next refresh completes */
		cr_expect_eq(sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan env "
				    "BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s %s refresh --config "
				    "%s/bouclier.conf 2>&1", lab.name, lab.pin, lab.state, lab.bin,
				    lab.state), 0, "%s: %s", points[i], out);
		cr_expect(listed("2001:db8:bad::7") && !listed("203.0.113.9") &&
			  !listed("198.51.100.70"), "%s", points[i]);
		cr_expect_neq(sh("test -e %s/feeds/gone.list", lab.state), 0);
		cr_expect_neq(sh("ls %s %s/feeds | grep -q tmp-", lab.state, lab.state), 0,
			      "%s: nothing left behind", points[i]);
	}
}

Test(faults, a_dry_run_needs_no_root, .init = lab_up, .fini = lab_down, .timeout = 60)
{
	char out[8192], text[512];

	lab_put("a.txt", "198.51.100.7\n");
	sh("chmod 755 %s && chmod 644 %s/a.txt", lab.state, lab.state);
	snprintf(text, sizeof(text), "[general]\nstate_dir = %s/state\n[feed x]\npath = %s/a.txt\n",
		 lab.state, lab.state);
	lab_put("bouclier.conf", text);
	cr_assert_eq(bouclier(out, sizeof(out), "feed load y /dev/null --force"), 0, "%s", out);
	cr_expect_eq(sh_out(out, sizeof(out), "setpriv --reuid=65534 --regid=65534 --clear-groups "
			    "env -u BOUCLIER_STATE_DIR %s refresh --dry-run --config "
			    "%s/bouclier.conf 2>&1", lab.bin, lab.state), 0,
		     "no lock, no write, no root: %s", out);
	cr_expect(strstr(out, "feed x: 1 entries"), "%s", out);
}

/* Files bouclier writes where another account can write: never through a
 * link that account planted, and its own files root's alone. */
Test(faults, written_files_follow_no_planted_link, .init = lab_up, .fini = lab_down,
     .timeout = 60)
{
	char out[8192], dir[256];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/textfile", lab.state);
	sh("mkdir -p %s && chmod 1777 %s && echo precious > %s/victim", dir, dir, lab.state);
	sh("ln -s %s/victim %s/bouclier.prom.tmp", lab.state, dir);
	{
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "weather --textfile %s", dir);
		cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	}
	cr_expect_eq(sh("grep -qx precious %s/victim", lab.state), 0, "the planted link was not "
		     "followed");
	cr_expect_eq(lstat(strcat(dir, "/bouclier.prom"), &st), 0);
	cr_expect(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644, "a file node_exporter reads");
	lab_put("a.txt", "198.51.100.7\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	load("a.txt");
	snprintf(dir, sizeof(dir), "%s/feeds/x.list", lab.state);
	cr_assert_eq(stat(dir, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600, "state files are root's: %o", st.st_mode & 0777);
	cr_expect_eq(st.st_uid, 0);
}
