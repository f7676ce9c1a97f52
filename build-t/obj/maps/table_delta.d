build-t/obj/maps/table_delta.o: maps/table_delta.c maps/table_int.h \
 maps/table.h maps/bouclier.h maps/cidr.h
maps/table_int.h:
maps/table.h:
maps/bouclier.h:
maps/cidr.h:
