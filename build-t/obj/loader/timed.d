build-t/obj/loader/timed.o: loader/timed.c loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h maps/log.h maps/publish.h \
 maps/live.h maps/table.h loader/state.h loader/region.h loader/sign.h \
 loader/timed.h maps/verdict.h
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
maps/publish.h:
maps/live.h:
maps/table.h:
loader/state.h:
loader/region.h:
loader/sign.h:
loader/timed.h:
maps/verdict.h:
