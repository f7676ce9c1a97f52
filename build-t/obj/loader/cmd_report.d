build-t/obj/loader/cmd_report.o: loader/cmd_report.c loader/cli.h \
 loader/ctx.h loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h \
 maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 loader/alert.h loader/history.h loader/weather/weather.h loader/ctx.h \
 loader/detect.h loader/stats.h maps/log.h loader/out.h loader/state.h \
 loader/region.h loader/sign.h
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
loader/alert.h:
loader/history.h:
loader/weather/weather.h:
loader/ctx.h:
loader/detect.h:
loader/stats.h:
maps/log.h:
loader/out.h:
loader/state.h:
loader/region.h:
loader/sign.h:
