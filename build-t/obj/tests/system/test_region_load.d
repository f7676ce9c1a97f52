build-t/obj/tests/system/test_region_load.o: \
 tests/system/test_region_load.c tests/run.h
tests/run.h:
