build-t/obj/loader/weather/json.o: loader/weather/json.c maps/log.h \
 maps/names.h maps/bouclier.h loader/out.h loader/weather/weather.h \
 maps/bouclier.h loader/ctx.h loader/config.h maps/cidr.h loader/detect.h \
 maps/live.h maps/feed.h maps/cidr.h loader/parsers.h loader/detect.h \
 loader/stats.h
maps/log.h:
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
