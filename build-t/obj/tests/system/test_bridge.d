build-t/obj/tests/system/test_bridge.o: tests/system/test_bridge.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
