build-t/obj/loader/watch.o: loader/watch.c loader/alert.h loader/ctx.h \
 loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h loader/attach.h \
 loader/bridge.h loader/cli.h loader/lists.h loader/state.h \
 loader/region.h loader/sign.h maps/table.h maps/log.h loader/pins.h \
 loader/timed.h loader/weather/weather.h loader/ctx.h loader/detect.h \
 loader/stats.h
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
loader/attach.h:
loader/bridge.h:
loader/cli.h:
loader/lists.h:
loader/state.h:
loader/region.h:
loader/sign.h:
maps/table.h:
maps/log.h:
loader/pins.h:
loader/timed.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
