build-t/obj/tests/unit/test_region.o: tests/unit/test_region.c \
 loader/observatory.h loader/region.h maps/feed.h maps/cidr.h \
 loader/sign.h tests/run.h loader/sign.h
loader/observatory.h:
loader/region.h:
maps/feed.h:
maps/cidr.h:
loader/sign.h:
tests/run.h:
loader/sign.h:
