build-t/obj/tests/system/test_bans.o: tests/system/test_bans.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
