build-t/seqbuckets.bpf.o: bpf/seqbuckets.bpf.c bpf/find.h \
  build-t/contract/bouclier.h build-t/contract/lookup.h bpf/filter.h \
  bpf/detect.h bpf/counters.h bpf/parse.h build-t/contract/verdict.h

bpf/find.h:

build-t/contract/bouclier.h:

build-t/contract/lookup.h:

bpf/filter.h:

bpf/detect.h:

bpf/counters.h:

bpf/parse.h:

build-t/contract/verdict.h:
