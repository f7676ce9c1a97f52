build-t/obj/tests/system/test_e2e.o: tests/system/test_e2e.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
