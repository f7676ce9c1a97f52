build-t/obj/tests/system/test_units.o: tests/system/test_units.c \
 tests/run.h
tests/run.h:
