/*
 * opt.c: what kconsumerd's and kconsumerctl's command lines share: the
 * message for an option getopt refused and whole-number arguments.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "opt.h"

/*
 * Report what getopt refused (ch ':' for a missing value, anything else
 * for an unknown option) as "prog: ..." with a pointer to help, for
 * kconsumerd and kconsumerctl's commands alike; returns EXIT_USAGE.
 */
int
opt_error(FILE *err, const char *prog, int ch, char *const *argv,
    const char *help)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	char shortopt[3] = { '-', (char)optopt, '\0' };

	/* in a bundle (-xt) optind has not moved past the bad letter yet:
	   name the letter, not whatever came before */
	if (strncmp(arg, "--", 2) != 0 && optopt > 0 && optopt < 128)
		arg = shortopt;
	if (ch == ':')
		fprintf(err, "%s: option '%s' needs a value\n", prog, arg);
	else
		fprintf(err, "%s: unknown option '%s' (try %s)\n", prog, arg,
		    help);
	return EXIT_USAGE;
}

/* Parse an option's whole number in [min, max] (every command's integer
   arguments); -1 when s is not one. */
int
opt_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
