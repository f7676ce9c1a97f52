build-t/obj/tools/bench.o: tools/bench.c maps/bench.h maps/bouclier.h \
 tests/frames.h maps/publish.h maps/live.h maps/bouclier.h maps/table.h \
 maps/cidr.h maps/table.h build-t/bouclier.skel.h \
 build-t/baseline_lpm.skel.h build-t/bare_drop.skel.h \
 build-t/bare_pass.skel.h build-t/bare_tc.skel.h \
 build-t/bench_loop.skel.h build-t/nolookup.skel.h build-t/nobook.skel.h \
 build-t/seqbuckets.skel.h build-t/gen.skel.h build-t/harness.skel.h \
 build-t/probe.skel.h loader/detect.h maps/cidr.h maps/live.h
maps/bench.h:
maps/bouclier.h:
tests/frames.h:
maps/publish.h:
maps/live.h:
maps/bouclier.h:
maps/table.h:
maps/cidr.h:
maps/table.h:
build-t/bouclier.skel.h:
build-t/baseline_lpm.skel.h:
build-t/bare_drop.skel.h:
build-t/bare_pass.skel.h:
build-t/bare_tc.skel.h:
build-t/bench_loop.skel.h:
build-t/nolookup.skel.h:
build-t/nobook.skel.h:
build-t/seqbuckets.skel.h:
build-t/gen.skel.h:
build-t/harness.skel.h:
build-t/probe.skel.h:
loader/detect.h:
maps/cidr.h:
maps/live.h:
