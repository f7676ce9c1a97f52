build-t/obj/tests/system/test_diff.o: tests/system/test_diff.c \
 build-t/bouclier.skel.h tests/frames.h tests/model.h maps/bouclier.h \
 maps/cidr.h maps/names.h maps/bouclier.h maps/publish.h maps/live.h \
 maps/table.h maps/cidr.h loader/stats.h maps/live.h maps/table.h
build-t/bouclier.skel.h:
tests/frames.h:
tests/model.h:
maps/bouclier.h:
maps/cidr.h:
maps/names.h:
maps/bouclier.h:
maps/publish.h:
maps/live.h:
maps/table.h:
maps/cidr.h:
loader/stats.h:
maps/live.h:
maps/table.h:
