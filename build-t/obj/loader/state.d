build-t/obj/loader/state.o: loader/state.c loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h maps/log.h loader/state.h \
 loader/region.h loader/sign.h
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
loader/state.h:
loader/region.h:
loader/sign.h:
