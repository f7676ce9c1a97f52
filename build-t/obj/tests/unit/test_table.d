build-t/obj/tests/unit/test_table.o: tests/unit/test_table.c \
 tests/unit/table_test.h maps/table.h maps/bouclier.h maps/cidr.h
tests/unit/table_test.h:
maps/table.h:
maps/bouclier.h:
maps/cidr.h:
