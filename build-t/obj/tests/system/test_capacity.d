build-t/obj/tests/system/test_capacity.o: tests/system/test_capacity.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
