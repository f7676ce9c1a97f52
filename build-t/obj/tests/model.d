build-t/obj/tests/model.o: tests/model.c tests/model.h maps/bouclier.h \
 maps/cidr.h
tests/model.h:
maps/bouclier.h:
maps/cidr.h:
