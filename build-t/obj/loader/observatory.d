build-t/obj/loader/observatory.o: loader/observatory.c loader/cli.h \
 loader/ctx.h loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h \
 maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 maps/log.h loader/observatory.h loader/out.h loader/region.h \
 loader/sign.h loader/weather/weather.h loader/ctx.h loader/detect.h \
 loader/stats.h
loader/cli.h:
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
maps/log.h:
loader/observatory.h:
loader/out.h:
loader/region.h:
loader/sign.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
