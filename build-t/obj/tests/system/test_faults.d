build-t/obj/tests/system/test_faults.o: tests/system/test_faults.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
