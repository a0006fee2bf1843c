/*
 * xmalloc.h: allocation that never returns NULL.
 *
 * Any thread. On allocation failure the process writes one line to
 * standard error (not through the logger, which allocates) and exits 70,
 * so callers never check for NULL.
 */
#ifndef KCONSUMERD_XMALLOC_H
#define KCONSUMERD_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int xasprintf(char **ret, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
