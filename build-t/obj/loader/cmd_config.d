build-t/obj/loader/cmd_config.o: loader/cmd_config.c loader/cli.h \
 loader/ctx.h loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h \
 maps/live.h maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 maps/log.h loader/out.h
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
loader/out.h:
