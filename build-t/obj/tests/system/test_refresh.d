build-t/obj/tests/system/test_refresh.o: tests/system/test_refresh.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
