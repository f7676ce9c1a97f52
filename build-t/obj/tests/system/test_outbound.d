build-t/obj/tests/system/test_outbound.o: tests/system/test_outbound.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
