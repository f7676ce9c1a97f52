build-t/bare_pass.bpf.o: bpf/bare_pass.bpf.c
