build-t/obj/tests/unit/test_publishers.o: tests/unit/test_publishers.c \
 maps/feed.h maps/cidr.h
maps/feed.h:
maps/cidr.h:
