build-t/obj/loader/weather/prom.o: loader/weather/prom.c maps/names.h \
 maps/bouclier.h loader/out.h loader/weather/weather.h maps/bouclier.h \
 loader/ctx.h loader/config.h maps/cidr.h loader/detect.h maps/live.h \
 maps/feed.h maps/cidr.h loader/parsers.h loader/detect.h loader/stats.h
maps/names.h:
maps/bouclier.h:
loader/out.h:
loader/weather/weather.h:
maps/bouclier.h:
loader/ctx.h:
loader/config.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/detect.h:
loader/stats.h:
