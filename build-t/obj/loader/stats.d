build-t/obj/loader/stats.o: loader/stats.c loader/stats.h maps/live.h \
 maps/bouclier.h
loader/stats.h:
maps/live.h:
maps/bouclier.h:
