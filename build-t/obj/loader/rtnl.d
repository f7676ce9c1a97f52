build-t/obj/loader/rtnl.o: loader/rtnl.c loader/rtnl.h
loader/rtnl.h:
