build-t/bench_loop.bpf.o: bpf/bench_loop.bpf.c bpf/find.h \
  build-t/contract/bouclier.h build-t/contract/lookup.h bpf/lpm.h \
  build-t/contract/bench.h

bpf/find.h:

build-t/contract/bouclier.h:

build-t/contract/lookup.h:

bpf/lpm.h:

build-t/contract/bench.h:
