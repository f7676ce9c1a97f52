build-t/obj/maps/formats.o: maps/formats.c maps/format.h maps/feed.h \
 maps/cidr.h
maps/format.h:
maps/feed.h:
maps/cidr.h:
