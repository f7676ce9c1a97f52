build-t/obj/tests/system/test_region.o: tests/system/test_region.c \
 tests/run.h
tests/run.h:
