// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The programs as each of Debian's clangs builds them (14, 16, 19): every
 * one must load, and stay within the bounds make verify-report holds them
 * to (the Makefile's VERIFY_MAX_INSNS and VERIFY_MAX_STACK, handed over in
 * the environment: instructions the verifier processes, stack), so a change
 * that drifts
 * towards the verifier's limits fails here rather than on a town's kernel.
 * The programs are built as the Makefile builds them: for its target
 * architecture (BOUCLIER_TARGET_ARCH, from $(ARCH)) and with its BPF
 * include path (BOUCLIER_BPF_INC: bpf/ and the contract headers only).
 */
#include "run.h"

#if !defined(BOUCLIER_TARGET_ARCH) || !defined(BOUCLIER_BPF_INC)
#error "built by the Makefile, which says the target architecture and the BPF include path"
#endif

Test(verifier, every_clang_builds_programs_the_kernel_takes, .timeout = 300)
{
	static const char *const clangs[] = { "clang-14", "clang-16", "clang-19" };
	const char *src = getenv("BOUCLIER_SRC"), *insns = getenv("BOUCLIER_VERIFY_MAX_INSNS"),
		   *stack = getenv("BOUCLIER_VERIFY_MAX_STACK");
	char out[16384], dir[128];
	size_t i;
	int built = 0;

	if (geteuid() != 0)
		cr_skip_test("loading BPF programs needs root");
	if (!src || !insns || !stack)
		cr_skip_test("run through `make test` (BOUCLIER_SRC or the bounds unset)");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-clang-%d", getpid());
	sh("mkdir -p %s", dir);
	for (i = 0; i < sizeof(clangs) / sizeof(clangs[0]); i++) {
		if (sh("command -v %s >/dev/null", clangs[i])) {
			cr_log_warn("%s is not installed: not checked", clangs[i]);
			continue;
		}
		cr_assert_eq(sh_out(out, sizeof(out), "cd %s && for o in bouclier egress_ct; do %s -g -O2 "
				    "-target bpf -mcpu=v3 -Wall -Werror " BOUCLIER_BPF_INC " "
				    "-D__TARGET_ARCH_" BOUCLIER_TARGET_ARCH " "
				    "-idirafter /usr/include/$(cc -print-multiarch) -c bpf/$o.bpf.c -o "
				    "%s/$o-%s.bpf.o || exit 1; done 2>&1", src, clangs[i], dir, clangs[i]),
			     0, "%s does not build the programs: %s", clangs[i], out);
		cr_expect_eq(sh_out(out, sizeof(out), "%s/build/verify_report --max-insns %s "
				    "--max-stack %s %s/bouclier-%s.bpf.o %s/egress_ct-%s.bpf.o 2>&1",
				    src, insns, stack, dir, clangs[i], dir, clangs[i]), 0,
			     "built by %s:\n%s", clangs[i], out);
		built++;
	}
	sh("rm -rf %s", dir);
	cr_assert_geq(built, 1, "no clang at all");
}
