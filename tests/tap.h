/*
 * tap.h: a minimal TAP producer for the unit tests.
 *
 * Each assertion prints "ok N - sentence" or "not ok N - sentence" with a
 * diagnostic; tap_done() prints the plan and returns the exit status.
 */
#ifndef KCONSUMERD_TAP_H
#define KCONSUMERD_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline bool __attribute__((format(printf, 2, 3)))
ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...) do {					\
	long long g_ = (got), w_ = (want);				\
	if (!ok(g_ == w_, __VA_ARGS__))					\
		printf("#   got: %lld\n#   expected: %lld\n", g_, w_);	\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	bool eq_ = (g_ == NULL && w_ == NULL) ||			\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	if (!ok(eq_, __VA_ARGS__))					\
		printf("#   got: '%s'\n#   expected: '%s'\n",		\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

#define like(got, needle, ...) do {					\
	const char *g_ = (got), *n_ = (needle);				\
	if (!ok(g_ != NULL && strstr(g_, n_) != NULL, __VA_ARGS__))	\
		printf("#   got: '%s'\n#   expected to contain: '%s'\n",	\
		    g_ ? g_ : "(null)", n_);				\
} while (0)

static inline void
tap_diag(const char *msg)
{
	printf("# %s\n", msg);
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed == 0 && tap_n > 0 ? 0 : 1;
}

#endif
