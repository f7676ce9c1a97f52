build-t/obj/maps/cidr.o: maps/cidr.c maps/cidr.h
maps/cidr.h:
