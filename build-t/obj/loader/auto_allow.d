build-t/obj/loader/auto_allow.o: loader/auto_allow.c loader/auto_allow.h \
 maps/cidr.h loader/bridge.h loader/rtnl.h
loader/auto_allow.h:
maps/cidr.h:
loader/bridge.h:
loader/rtnl.h:
