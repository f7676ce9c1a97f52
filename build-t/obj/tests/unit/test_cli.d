build-t/obj/tests/unit/test_cli.o: tests/unit/test_cli.c \
 loader/commands.h loader/cli.h loader/ctx.h loader/config.h \
 maps/bouclier.h maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h \
 maps/feed.h maps/cidr.h loader/parsers.h
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
