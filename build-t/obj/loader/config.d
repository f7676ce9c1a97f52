build-t/obj/loader/config.o: loader/config.c loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h loader/ctx.h
loader/config.h:
maps/bouclier.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
loader/ctx.h:
