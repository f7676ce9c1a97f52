build-t/nolookup.bpf.o: bpf/nolookup.bpf.c build-t/contract/bouclier.h \
  bpf/filter.h bpf/detect.h bpf/counters.h bpf/parse.h \
  build-t/contract/verdict.h

build-t/contract/bouclier.h:

bpf/filter.h:

bpf/detect.h:

bpf/counters.h:

bpf/parse.h:

build-t/contract/verdict.h:
