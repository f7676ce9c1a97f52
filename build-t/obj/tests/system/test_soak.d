build-t/obj/tests/system/test_soak.o: tests/system/test_soak.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
