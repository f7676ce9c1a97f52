build-t/obj/maps/table_fingerprint.o: maps/table_fingerprint.c \
 maps/table_int.h maps/table.h maps/bouclier.h maps/cidr.h
maps/table_int.h:
maps/table.h:
maps/bouclier.h:
maps/cidr.h:
