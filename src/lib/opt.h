/*
 * opt.h: helpers for both programs' command lines (kconsumerd's cli.c,
 * kconsumerctl's commands): getopt's refusals reported alike, whole
 * numbers parsed alike.
 *
 * Main thread only.
 */
#ifndef KCONSUMERD_OPT_H
#define KCONSUMERD_OPT_H

#include <stdint.h>
#include <stdio.h>

/* Report what getopt refused as "prog: ..."; returns EXIT_USAGE. */
int opt_error(FILE *err, const char *prog, int ch, char *const *argv,
    const char *help);
/* A whole number in [min, max] into *out: 0; -1 when s is not one. */
int opt_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
