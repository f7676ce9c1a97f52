build-t/obj/loader/alert.o: loader/alert.c loader/alert.h loader/ctx.h \
 loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h maps/log.h \
 loader/out.h loader/state.h loader/region.h loader/sign.h \
 loader/weather/weather.h loader/ctx.h loader/detect.h loader/stats.h \
 loader/cli.h
loader/alert.h:
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
loader/out.h:
loader/state.h:
loader/region.h:
loader/sign.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
loader/cli.h:
