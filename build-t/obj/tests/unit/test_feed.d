build-t/obj/tests/unit/test_feed.o: tests/unit/test_feed.c maps/feed.h \
 maps/cidr.h
maps/feed.h:
maps/cidr.h:
