build-t/obj/tools/verify_report.o: tools/verify_report.c
