build-t/obj/loader/ctx.o: loader/ctx.c loader/ctx.h loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h maps/log.h
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
