build-t/obj/tests/system/test_alerts.o: tests/system/test_alerts.c \
 tests/system/lab.h tests/run.h
tests/system/lab.h:
tests/run.h:
