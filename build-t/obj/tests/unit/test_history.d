build-t/obj/tests/unit/test_history.o: tests/unit/test_history.c \
 loader/history.h loader/weather/weather.h maps/bouclier.h loader/ctx.h \
 loader/config.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h loader/detect.h loader/stats.h
loader/history.h:
loader/weather/weather.h:
maps/bouclier.h:
loader/ctx.h:
loader/config.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/detect.h:
loader/stats.h:
