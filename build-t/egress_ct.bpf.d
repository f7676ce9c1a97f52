build-t/egress_ct.bpf.o: bpf/egress_ct.bpf.c bpf/find.h \
  build-t/contract/bouclier.h build-t/contract/lookup.h bpf/counters.h \
  bpf/parse.h build-t/contract/verdict.h bpf/egress.h bpf/detect.h

bpf/find.h:

build-t/contract/bouclier.h:

build-t/contract/lookup.h:

bpf/counters.h:

bpf/parse.h:

build-t/contract/verdict.h:

bpf/egress.h:

bpf/detect.h:
