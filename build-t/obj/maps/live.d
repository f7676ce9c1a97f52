build-t/obj/maps/live.o: maps/live.c maps/live.h maps/bouclier.h
maps/live.h:
maps/bouclier.h:
