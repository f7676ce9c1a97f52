build-t/obj/tests/unit/test_man.o: tests/unit/test_man.c \
 loader/commands.h loader/cli.h loader/config.h maps/bouclier.h \
 maps/cidr.h loader/detect.h maps/live.h maps/bouclier.h maps/feed.h \
 maps/cidr.h loader/parsers.h tests/run.h
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
tests/run.h:
