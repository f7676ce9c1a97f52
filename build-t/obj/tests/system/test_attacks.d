build-t/obj/tests/system/test_attacks.o: tests/system/test_attacks.c \
 build-t/bouclier.skel.h maps/publish.h maps/live.h maps/bouclier.h \
 maps/table.h maps/cidr.h loader/weather/weather.h maps/bouclier.h \
 loader/ctx.h loader/config.h maps/cidr.h loader/detect.h maps/live.h \
 maps/feed.h loader/parsers.h loader/detect.h loader/stats.h
build-t/bouclier.skel.h:
maps/publish.h:
maps/live.h:
maps/bouclier.h:
maps/table.h:
maps/cidr.h:
loader/weather/weather.h:
maps/bouclier.h:
loader/ctx.h:
loader/config.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/feed.h:
loader/parsers.h:
loader/detect.h:
loader/stats.h:
