build-t/obj/tests/unit/test_observatory.o: tests/unit/test_observatory.c \
 tests/run.h
tests/run.h:
