build-t/obj/tests/system/test_report.o: tests/system/test_report.c \
 tests/system/cdp.h tests/system/lab.h tests/run.h tests/weather_input.h \
 loader/weather/weather.h maps/bouclier.h loader/ctx.h loader/config.h \
 maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h maps/feed.h \
 maps/cidr.h loader/parsers.h loader/detect.h loader/stats.h
tests/system/cdp.h:
tests/system/lab.h:
tests/run.h:
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
