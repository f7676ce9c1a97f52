build-t/obj/loader/main.o: loader/main.c loader/attach.h \
 loader/commands.h loader/cli.h loader/ctx.h loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h maps/log.h loader/pins.h \
 loader/state.h loader/region.h loader/sign.h
loader/attach.h:
loader/commands.h:
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
maps/log.h:
loader/pins.h:
loader/state.h:
loader/region.h:
loader/sign.h:
