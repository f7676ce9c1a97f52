build-t/obj/loader/pins.o: loader/pins.c maps/log.h loader/pins.h \
 maps/live.h maps/bouclier.h
maps/log.h:
loader/pins.h:
maps/live.h:
maps/bouclier.h:
