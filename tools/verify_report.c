// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * verify_report - what the kernel's verifier says of each program of BPF
 * objects: instructions it processed (its budget is a million) and the
 * stack of its deepest chain of calls (512 bytes at most).  `make verify-report` runs it on
 * bouclier's objects; the tests run it on objects built by several clangs
 * and fail when a bound is passed, so a change that brings a program near
 * the verifier's limits is seen before a kernel refuses it.
 *
 *   verify_report [--max-insns N] [--max-stack N] OBJECT...
 *
 * Maps are created unpinned; nothing is attached.  Exit 0 when every
 * program loads within the bounds, 1 otherwise.  Needs root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define LOG_SIZE (1 << 20)

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* "stack depth 64+32" (one figure a subprogram, in the order they start):
 * into depth[], how many. */
static int depths_of(const char *log, long *depth, int max)
{
	const char *p = strstr(log, "stack depth ");
	char *end;
	int n = 0;

	if (!p)
		return 0;
	for (p += 12; n < max; p = end + 1) {
		depth[n++] = strtol(p, &end, 10);
		if (end == p || *end != '+')
			break;
	}
	return n;
}

#define MAX_SUBPROGS 64

/* The deepest chain of calls from the entry, as the kernel bounds it
 * (each frame rounded up to 32 bytes): subprograms start at instruction 0
 * and at every target of a BPF-to-BPF call, in the order the log lists
 * their depths.  Without the instructions (a refused program), the sum of
 * every subprogram's: an upper bound. */
static long stack_of(const char *log, const struct bpf_insn *insn, size_t ninsn)
{
	long depth[MAX_SUBPROGS], best[MAX_SUBPROGS];
	size_t start[MAX_SUBPROGS], i;
	int n = depths_of(log, depth, MAX_SUBPROGS), nstart = 1, k, j, changed;

	if (!n)
		return -1;
	if (!insn) {
		long sum = 0;

		for (k = 0; k < n; k++)
			sum += depth[k];
		return sum;
	}
	start[0] = 0;
	for (i = 0; i < ninsn; i++) {
		size_t t;

		if (insn[i].code != (BPF_JMP | BPF_CALL) || insn[i].src_reg != BPF_PSEUDO_CALL)
			continue;
		t = i + insn[i].imm + 1;
		for (k = 0; k < nstart && start[k] != t; k++)
			;
		if (k == nstart && nstart < MAX_SUBPROGS)
			start[nstart++] = t;
	}
	for (k = 1; k < nstart; k++) /* in order, as the log lists them */
		for (j = k; j > 0 && start[j - 1] > start[j]; j--) {
			size_t x = start[j];

			start[j] = start[j - 1];
			start[j - 1] = x;
		}
	if (nstart != n)
		return -1;
	/* best[k]: the deepest chain from subprogram k; calls go to later or
	 * earlier ones, never in a loop, so relaxing n times settles it */
	for (k = 0; k < n; k++)
		best[k] = (depth[k] + 31) / 32 * 32;
	do {
		changed = 0;
		for (k = 0; k < n; k++) {
			size_t end = k + 1 < n ? start[k + 1] : ninsn;

			for (i = start[k]; i < end; i++) {
				long d;

				if (insn[i].code != (BPF_JMP | BPF_CALL) ||
				    insn[i].src_reg != BPF_PSEUDO_CALL)
					continue;
				for (j = 0; j < n && start[j] != i + insn[i].imm + 1; j++)
					;
				d = (depth[k] + 31) / 32 * 32 + (j < n ? best[j] : 0);
				if (d > best[k]) {
					best[k] = d;
					changed = 1;
				}
			}
		}
	} while (changed);
	return best[0];
}

int main(int argc, char **argv)
{
	long max_insns = 1000000, max_stack = 512;
	int i, bad = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--max-insns") && i + 1 < argc)
			max_insns = atol(argv[++i]);
		else if (!strcmp(argv[i], "--max-stack") && i + 1 < argc)
			max_stack = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: verify_report [--max-insns N] [--max-stack N] "
					"OBJECT...\n");
			return 2;
		}
	}
	libbpf_set_print(quiet);
	printf("%-28s %-22s %12s %8s\n", "object", "program", "insns", "stack");
	for (; i < argc; i++) {
		struct bpf_object *obj = bpf_object__open_file(argv[i], NULL);
		struct bpf_program *prog;
		struct bpf_map *map;
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		char *logs[32] = { 0 };
		int n = 0, err;

		if (!obj) {
			printf("%-28s cannot open: %s\n", base, strerror(errno));
			bad = 1;
			continue;
		}
		bpf_object__for_each_map(map, obj)
			bpf_map__set_pin_path(map, NULL);
		bpf_object__for_each_program(prog, obj) {
			if (n == 32)
				break;
			logs[n] = calloc(1, LOG_SIZE);
			bpf_program__set_log_buf(prog, logs[n++], LOG_SIZE);
			bpf_program__set_log_level(prog, 4); /* statistics only */
		}
		err = bpf_object__load(obj);
		n = 0;
		bpf_object__for_each_program(prog, obj) {
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);
			long insns = -1, stack;

			if (n == 32)
				break;
			if (!err && !bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
				insns = info.verified_insns;
			stack = stack_of(logs[n], err ? NULL : bpf_program__insns(prog),
					 err ? 0 : bpf_program__insn_cnt(prog));
			if (insns < 0) { /* refused: the log has the processed count */
				const char *p = strstr(logs[n], "processed ");

				insns = p ? atol(p + 10) : -1;
			}
			printf("%-28s %-22s %12ld %8ld%s\n", base, bpf_program__name(prog), insns, stack,
			       err ? "  REFUSED" : insns > max_insns || stack > max_stack
							 ? "  OVER BOUND" : "");
			bad |= err || insns < 0 || insns > max_insns || stack > max_stack;
			free(logs[n++]);
		}
		bpf_object__close(obj);
	}
	return bad;
}
