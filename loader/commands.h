/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * commands.h - every command of bouclier, in the order `bouclier help` lists
 * them.  The list is the top of the loader: main() hands it to cli_parse()
 * and cli_usage(), mkman and the man page's test walk it; nothing below
 * names it, so the core (cli.c, config.c, ...) links without any command.
 * The Makefile keeps commands.c out of libbouclier.a: a file of the library
 * that named the list would fail to link wherever the list is not.
 */
#ifndef BOUCLIER_COMMANDS_H
#define BOUCLIER_COMMANDS_H

#include "cli.h"

extern const struct command *const commands[];

#endif
