build-t/baseline_lpm.bpf.o: bpf/baseline_lpm.bpf.c bpf/lpm.h \
  build-t/contract/bouclier.h build-t/contract/bench.h bpf/filter.h \
  bpf/detect.h bpf/counters.h bpf/parse.h build-t/contract/verdict.h

bpf/lpm.h:

build-t/contract/bouclier.h:

build-t/contract/bench.h:

bpf/filter.h:

bpf/detect.h:

bpf/counters.h:

bpf/parse.h:

build-t/contract/verdict.h:
