/*
 * diag.c: collecting and printing configuration diagnostics.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xmalloc.h"

/* Start an empty list. */
void
diag_init(struct diag *d)
{
	d->items = NULL;
	d->n = 0;
	d->nerrors = 0;
	d->nwarnings = 0;
}

/* Free every item and empty the list. */
void
diag_free(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	diag_init(d);
}

/*
 * Make a message one line: drop trailing blanks and newlines (librdkafka's
 * error texts may end in one) and turn any newline inside into a space,
 * so that every line printed carries its file:line.
 */
static void
diag_one_line(char *msg)
{
	size_t len = strlen(msg);
	char *p;

	while (len > 0 && strchr(" \t\r\n", msg[len - 1]) != NULL)
		msg[--len] = '\0';
	while ((p = strpbrk(msg, "\r\n")) != NULL)
		*p = ' ';
}

/* Append one diagnostic. */
static void __attribute__((format(printf, 5, 0)))
diag_vadd(struct diag *d, enum diag_severity sev, const char *file, int line,
    const char *fmt, va_list ap)
{
	struct diag_item *it;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup("(out of memory formatting a diagnostic)");
	diag_one_line(msg);
	d->items = xreallocarray(d->items, d->n + 1, sizeof *d->items);
	it = &d->items[d->n++];
	it->severity = sev;
	it->file = file != NULL ? xstrdup(file) : NULL;
	it->line = line;
	it->msg = msg;
	if (sev == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

/* Record an error at file:line. */
void
diag_error(struct diag *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, file, line, fmt, ap);
	va_end(ap);
}

/* Record a warning at file:line. */
void
diag_warn(struct diag *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, DIAG_WARNING, file, line, fmt, ap);
	va_end(ap);
}

/* Print every diagnostic, one per line, in the order they were found. */
void
diag_print(const struct diag *d, FILE *fp)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->items[i];
		const char *sev = it->severity == DIAG_ERROR ?
		    "error" : "warning";

		if (it->file != NULL && it->line > 0)
			fprintf(fp, "%s:%d: %s: %s\n", it->file, it->line,
			    sev, it->msg);
		else if (it->file != NULL)
			fprintf(fp, "%s: %s: %s\n", it->file, sev, it->msg);
		else
			fprintf(fp, "kconsumerd: %s: %s\n", sev, it->msg);
	}
}
