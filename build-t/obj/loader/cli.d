build-t/obj/loader/cli.o: loader/cli.c loader/cli.h loader/ctx.h \
 loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h \
 build-t/version.h
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
build-t/version.h:
