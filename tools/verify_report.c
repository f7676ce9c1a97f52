// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * verify_report - what the kernel's verifier says of each program of BPF
 * objects: instructions it processed (its budget is a million) and the
 * stack it found (512 bytes at most).  `make verify-report` runs it on
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

/* "stack depth 64+32" (one figure a subprogram): their sum, an upper bound
 * of what one call chain uses. */
static long stack_of(const char *log)
{
	const char *p = strstr(log, "stack depth ");
	long sum = 0;
	char *end;

	if (!p)
		return -1;
	for (p += 12;; p = end + 1) {
		sum += strtol(p, &end, 10);
		if (end == p || *end != '+')
			break;
	}
	return sum;
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
			stack = stack_of(logs[n]);
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
