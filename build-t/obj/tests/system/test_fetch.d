build-t/obj/tests/system/test_fetch.o: tests/system/test_fetch.c
