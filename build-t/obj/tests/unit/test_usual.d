build-t/obj/tests/unit/test_usual.o: tests/unit/test_usual.c \
 tests/weather_input.h loader/weather/weather.h maps/bouclier.h \
 loader/ctx.h loader/config.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h loader/detect.h \
 loader/stats.h
tests/weather_input.h:
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
