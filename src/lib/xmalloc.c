/*
 * xmalloc.c: allocation wrappers that die on failure.
 *
 * Any thread; no shared state.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "xmalloc.h"

/* Report an allocation failure without allocating, then exit. */
static void __attribute__((noreturn))
xmalloc_die(size_t size)
{
	char msg[96];
	int n = snprintf(msg, sizeof msg,
	    "kconsumerd: out of memory allocating %zu bytes\n", size);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(EXIT_INTERNAL);
	_exit(EXIT_INTERNAL);
}

/* Allocate size bytes (at least one). */
void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		xmalloc_die(size);
	return p;
}

/* Allocate a zeroed array. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		xmalloc_die(nmemb * size);
	return p;
}

/* Resize an allocation. */
void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		xmalloc_die(size);
	return p;
}

/* Resize an array, checking the multiplication for overflow. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die(SIZE_MAX);
	return xrealloc(ptr, nmemb * size);
}

/* Duplicate a string. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Duplicate at most n bytes of a string, always terminated. */
char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Format into a newly allocated string; returns its length. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_die(0);
	return n;
}
