build-t/obj/maps/feed.o: maps/feed.c maps/format.h maps/feed.h \
 maps/cidr.h
maps/format.h:
maps/feed.h:
maps/cidr.h:
