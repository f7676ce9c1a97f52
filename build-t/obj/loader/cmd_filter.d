build-t/obj/loader/cmd_filter.o: loader/cmd_filter.c loader/attach.h \
 loader/cli.h loader/ctx.h loader/config.h maps/bouclier.h maps/cidr.h \
 loader/detect.h maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h \
 loader/parsers.h loader/lists.h loader/state.h loader/region.h \
 loader/sign.h maps/table.h maps/log.h maps/names.h loader/out.h \
 loader/pins.h maps/publish.h maps/live.h maps/table.h loader/stats.h \
 loader/timed.h maps/verdict.h loader/weather/weather.h loader/ctx.h \
 loader/detect.h loader/stats.h
loader/attach.h:
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
loader/lists.h:
loader/state.h:
loader/region.h:
loader/sign.h:
maps/table.h:
maps/log.h:
maps/names.h:
loader/out.h:
loader/pins.h:
maps/publish.h:
maps/live.h:
maps/table.h:
loader/stats.h:
loader/timed.h:
maps/verdict.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
