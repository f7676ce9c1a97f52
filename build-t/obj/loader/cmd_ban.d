build-t/obj/loader/cmd_ban.o: loader/cmd_ban.c loader/cli.h \
 loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h loader/ctx.h \
 maps/log.h loader/out.h loader/pins.h loader/state.h loader/region.h \
 loader/sign.h loader/timed.h loader/weather/weather.h loader/ctx.h \
 loader/detect.h loader/stats.h
loader/cli.h:
loader/config.h:
maps/bouclier.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/ctx.h:
maps/log.h:
loader/out.h:
loader/pins.h:
loader/state.h:
loader/region.h:
loader/sign.h:
loader/timed.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
