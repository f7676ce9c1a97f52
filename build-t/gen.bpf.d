build-t/gen.bpf.o: bpf/gen.bpf.c build-t/contract/bench.h

build-t/contract/bench.h:
