/*
 * fdlimit.h: the file descriptor budget of a configuration (fdlimit.c).
 */
#ifndef KCONSUMERD_FDLIMIT_H
#define KCONSUMERD_FDLIMIT_H

#include <stdbool.h>

struct config;

unsigned long fdlimit_need(const struct config *cfg);
bool fdlimit_check(const struct config *cfg);

#endif
