build-t/probe.bpf.o: bpf/probe.bpf.c build-t/contract/bouclier.h

build-t/contract/bouclier.h:
