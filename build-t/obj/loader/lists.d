build-t/obj/loader/lists.o: loader/lists.c loader/attach.h \
 loader/auto_allow.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h loader/lists.h loader/ctx.h loader/config.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h loader/state.h \
 loader/region.h loader/sign.h maps/table.h maps/log.h loader/pins.h \
 maps/publish.h maps/live.h maps/table.h loader/timed.h
loader/attach.h:
loader/auto_allow.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
loader/lists.h:
loader/ctx.h:
loader/config.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/state.h:
loader/region.h:
loader/sign.h:
maps/table.h:
maps/log.h:
loader/pins.h:
maps/publish.h:
maps/live.h:
maps/table.h:
loader/timed.h:
