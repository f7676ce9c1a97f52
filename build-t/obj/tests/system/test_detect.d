build-t/obj/tests/system/test_detect.o: tests/system/test_detect.c \
 maps/bench.h build-t/bouclier.skel.h build-t/harness.skel.h \
 loader/detect.h maps/cidr.h maps/live.h maps/bouclier.h tests/frames.h \
 maps/publish.h maps/live.h maps/table.h maps/cidr.h tests/system/lab.h \
 tests/run.h
maps/bench.h:
build-t/bouclier.skel.h:
build-t/harness.skel.h:
loader/detect.h:
maps/cidr.h:
maps/live.h:
maps/bouclier.h:
tests/frames.h:
maps/publish.h:
maps/live.h:
maps/table.h:
maps/cidr.h:
tests/system/lab.h:
tests/run.h:
