build-t/obj/loader/region.o: loader/region.c maps/cidr.h maps/log.h \
 loader/region.h maps/feed.h maps/cidr.h loader/sign.h loader/state.h \
 maps/bouclier.h
maps/cidr.h:
maps/log.h:
loader/region.h:
maps/feed.h:
maps/cidr.h:
loader/sign.h:
loader/state.h:
maps/bouclier.h:
