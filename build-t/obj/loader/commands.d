build-t/obj/loader/commands.o: loader/commands.c loader/commands.h \
 loader/cli.h
loader/commands.h:
loader/cli.h:
