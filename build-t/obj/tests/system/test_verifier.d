build-t/obj/tests/system/test_verifier.o: tests/system/test_verifier.c \
 tests/run.h
tests/run.h:
