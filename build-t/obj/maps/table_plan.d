build-t/obj/maps/table_plan.o: maps/table_plan.c maps/table_int.h \
 maps/table.h maps/bouclier.h maps/cidr.h
maps/table_int.h:
maps/table.h:
maps/bouclier.h:
maps/cidr.h:
