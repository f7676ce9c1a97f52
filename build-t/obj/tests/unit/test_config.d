build-t/obj/tests/unit/test_config.o: tests/unit/test_config.c \
 loader/ctx.h loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h \
 maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 loader/config.h
loader/ctx.h:
loader/config.h:
maps/bouclier.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/config.h:
