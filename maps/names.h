/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * names.h - the words user space prints for the contract's enums (verdicts,
 * protocol classes, services), made from the X lists in bouclier.h so that
 * no name is written twice.  Each function returns "?" out of range.
 */
#ifndef BOUCLIER_NAMES_H
#define BOUCLIER_NAMES_H

#include "bouclier.h"

const char *verdict_name(int v);
const char *proto_name(int p);
/* "ssh", "rdp", ... or "other" for BOUCLIER_PORT_OTHER */
const char *service_name(int s);
/* The port a service class stands for; 0 for "other". */
int service_port(int s);
/* The service class of a port, as the kernel's bouclier_port_classes;
 * BOUCLIER_PORT_OTHER for a port of none (and for 0). */
int service_of_port(__u16 port);
/* "banned", "spared_contacted", ...: detection's outcomes */
const char *detect_count_name(int d);
/* "port scan", "address sweep", "password guessing" */
const char *behaviour_name(int b);
/* the sensitive services: "ssh", "rdp", ..., "other" for none */
const char *guess_name(int g);

#endif
