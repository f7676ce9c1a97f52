build-t/obj/tests/unit/test_cidr.o: tests/unit/test_cidr.c maps/cidr.h
maps/cidr.h:
