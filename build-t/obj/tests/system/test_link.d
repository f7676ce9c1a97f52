build-t/obj/tests/system/test_link.o: tests/system/test_link.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
