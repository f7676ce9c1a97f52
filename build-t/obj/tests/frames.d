build-t/obj/tests/frames.o: tests/frames.c tests/frames.h
tests/frames.h:
