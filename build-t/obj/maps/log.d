build-t/obj/maps/log.o: maps/log.c maps/log.h
maps/log.h:
