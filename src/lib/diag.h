/*
 * diag.h: collected configuration diagnostics, reported as
 * "file:line: error: message" / "file:line: warning: message".
 *
 * Main thread only (configuration is loaded before any consumer starts).
 */
#ifndef KCONSUMERD_DIAG_H
#define KCONSUMERD_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag_item {
	enum diag_severity	 severity;
	char			*file;	/* NULL when not tied to a file */
	int			 line;	/* 0 when not tied to a line */
	char			*msg;
};

struct diag {
	struct diag_item	*items;
	size_t			 n;
	int			 nerrors;
	int			 nwarnings;
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);
void diag_error(struct diag *d, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_warn(struct diag *d, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_print(const struct diag *d, FILE *fp);

#endif
