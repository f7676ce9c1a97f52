build-t/obj/tests/system/test_xdp.o: tests/system/test_xdp.c \
 build-t/bouclier.skel.h tests/frames.h maps/names.h maps/bouclier.h \
 maps/publish.h maps/live.h maps/table.h maps/cidr.h loader/stats.h \
 maps/live.h
build-t/bouclier.skel.h:
tests/frames.h:
maps/names.h:
maps/bouclier.h:
maps/publish.h:
maps/live.h:
maps/table.h:
maps/cidr.h:
loader/stats.h:
maps/live.h:
