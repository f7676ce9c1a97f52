build-t/obj/maps/names.o: maps/names.c maps/names.h maps/bouclier.h
maps/names.h:
maps/bouclier.h:
