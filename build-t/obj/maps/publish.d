build-t/obj/maps/publish.o: maps/publish.c maps/log.h maps/publish.h \
 maps/live.h maps/bouclier.h maps/table.h maps/cidr.h
maps/log.h:
maps/publish.h:
maps/live.h:
maps/bouclier.h:
maps/table.h:
maps/cidr.h:
