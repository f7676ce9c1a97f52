build-t/obj/loader/out.o: loader/out.c loader/out.h
loader/out.h:
