build-t/obj/loader/town_report.o: loader/town_report.c maps/cidr.h \
 maps/log.h loader/observatory.h loader/weather/weather.h maps/bouclier.h \
 loader/ctx.h loader/config.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h loader/detect.h loader/stats.h
maps/cidr.h:
maps/log.h:
loader/observatory.h:
loader/weather/weather.h:
maps/bouclier.h:
loader/ctx.h:
loader/config.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/detect.h:
loader/stats.h:
