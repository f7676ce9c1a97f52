build-t/harness.bpf.o: bpf/harness.bpf.c build-t/contract/bench.h

build-t/contract/bench.h:
