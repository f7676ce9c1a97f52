build-t/obj/loader/parsers.o: loader/parsers.c loader/parsers.h
loader/parsers.h:
