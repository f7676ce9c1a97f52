build-t/obj/loader/cmd_feed.o: loader/cmd_feed.c loader/cli.h \
 loader/ctx.h loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h \
 maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 loader/lists.h loader/state.h loader/region.h loader/sign.h maps/table.h \
 maps/log.h loader/out.h loader/pins.h maps/publish.h maps/live.h \
 maps/table.h loader/stats.h
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
loader/out.h:
loader/pins.h:
maps/publish.h:
maps/live.h:
maps/table.h:
loader/stats.h:
