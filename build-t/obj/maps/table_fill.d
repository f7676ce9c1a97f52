build-t/obj/maps/table_fill.o: maps/table_fill.c maps/table_int.h \
 maps/table.h maps/bouclier.h maps/cidr.h maps/lookup.h
maps/table_int.h:
maps/table.h:
maps/bouclier.h:
maps/cidr.h:
maps/lookup.h:
