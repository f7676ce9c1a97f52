build-t/bare_tc.bpf.o: bpf/bare_tc.bpf.c
