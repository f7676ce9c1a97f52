build-t/obj/loader/detect.o: loader/detect.c loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h maps/log.h maps/names.h \
 loader/out.h maps/publish.h maps/live.h maps/table.h loader/state.h \
 loader/region.h loader/sign.h loader/timed.h maps/verdict.h \
 loader/weather/weather.h loader/ctx.h loader/detect.h loader/stats.h
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
maps/names.h:
loader/out.h:
maps/publish.h:
maps/live.h:
maps/table.h:
loader/state.h:
loader/region.h:
loader/sign.h:
loader/timed.h:
maps/verdict.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
