build-t/obj/loader/attach.o: loader/attach.c loader/attach.h \
 build-t/bouclier.skel.h loader/bridge.h build-t/egress_ct.skel.h \
 maps/log.h loader/pins.h maps/live.h maps/bouclier.h maps/publish.h \
 maps/live.h maps/table.h maps/cidr.h
loader/attach.h:
build-t/bouclier.skel.h:
loader/bridge.h:
build-t/egress_ct.skel.h:
maps/log.h:
loader/pins.h:
maps/live.h:
maps/bouclier.h:
maps/publish.h:
maps/live.h:
maps/table.h:
maps/cidr.h:
