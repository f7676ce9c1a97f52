build-t/obj/loader/weather/numbers.o: loader/weather/numbers.c \
 loader/weather/weather.h maps/bouclier.h loader/ctx.h loader/config.h \
 maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h maps/feed.h \
 maps/cidr.h loader/parsers.h loader/detect.h loader/stats.h
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
