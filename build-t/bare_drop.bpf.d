build-t/bare_drop.bpf.o: bpf/bare_drop.bpf.c
