build-t/obj/tests/unit/test_verdict.o: tests/unit/test_verdict.c \
 maps/verdict.h maps/bouclier.h
maps/verdict.h:
maps/bouclier.h:
