/*
 * stdfds.h: standard descriptors closed at start (stdfds.c).
 */
#ifndef KCONSUMERD_STDFDS_H
#define KCONSUMERD_STDFDS_H

#include <stdbool.h>

void stdfds_reserve(void);
bool stdfds_was_closed(int fd);

#endif
