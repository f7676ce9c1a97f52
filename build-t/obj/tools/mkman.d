build-t/obj/tools/mkman.o: tools/mkman.c loader/commands.h loader/cli.h \
 loader/config.h maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h \
 maps/bouclier.h maps/feed.h maps/cidr.h loader/parsers.h
loader/commands.h:
loader/cli.h:
loader/config.h:
maps/bouclier.h:
maps/cidr.h:
loader/detect.h:
maps/live.h:
maps/bouclier.h:
maps/feed.h:
maps/cidr.h:
loader/parsers.h:
