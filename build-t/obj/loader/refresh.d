build-t/obj/loader/refresh.o: loader/refresh.c loader/cli.h loader/ctx.h \
 loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h loader/alert.h \
 loader/lists.h loader/state.h loader/region.h loader/sign.h maps/table.h \
 maps/log.h maps/publish.h maps/live.h maps/table.h
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
loader/lists.h:
loader/state.h:
loader/region.h:
loader/sign.h:
maps/table.h:
maps/log.h:
maps/publish.h:
maps/live.h:
maps/table.h:
