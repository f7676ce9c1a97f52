build-t/obj/loader/bridge.o: loader/bridge.c loader/bridge.h \
 loader/rtnl.h
loader/bridge.h:
loader/rtnl.h:
