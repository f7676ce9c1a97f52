build-t/obj/loader/weather/inputs.o: loader/weather/inputs.c \
 loader/attach.h loader/history.h loader/weather/weather.h \
 maps/bouclier.h loader/ctx.h loader/config.h maps/cidr.h loader/detect.h \
 maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 loader/detect.h loader/stats.h maps/names.h maps/log.h loader/pins.h \
 maps/publish.h maps/live.h maps/table.h loader/state.h loader/region.h \
 loader/sign.h loader/weather/weather.h
loader/attach.h:
loader/history.h:
loader/weather/weather.h:
maps/bouclier.h:
loader/ctx.h:
loader/config.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/detect.h:
loader/stats.h:
maps/names.h:
maps/log.h:
loader/pins.h:
maps/publish.h:
maps/live.h:
maps/table.h:
loader/state.h:
loader/region.h:
loader/sign.h:
loader/weather/weather.h:
