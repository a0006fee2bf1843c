/*
 * t_cli.c: the command line contract (options, exit codes).
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "tap.h"

/* What the last parse wrote to its error stream. */
static char errout[4096];

/* Parse a NULL-terminated argument list. */
static int
parse(struct cli *c, char *out, size_t outlen, const char *first, ...)
{
	char *argv[16];
	int argc = 0, rc;
	va_list ap;
	FILE *o = fmemopen(out, outlen, "w");
	FILE *e = fmemopen(errout, sizeof errout, "w");
	const char *a;

	argv[argc++] = (char *)"kconsumerd";
	va_start(ap, first);
	for (a = first; a != NULL && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	rc = cli_parse(argc, argv, c, o, e);
	fclose(o);
	fclose(e);
	return rc;
}

int
main(void)
{
	struct cli c;
	char out[4096];

	is_int(parse(&c, out, sizeof out, NULL), -1, "no options runs the daemon");
	is_str(c.config_path, cli_default_config(),
	    "the default configuration path is used without -c");
	like(cli_default_config(), "/kconsumerd/kconsumerd.conf",
	    "the default lives under sysconfdir/kconsumerd");
	is_int(parse(&c, out, sizeof out, "-c", "x.yaml", "-t", NULL), -1,
	    "-c and -t parse");
	ok(c.test_config && strcmp(c.config_path, "x.yaml") == 0,
	    "-t is set and -c names the file");
	is_int(parse(&c, out, sizeof out, "--config=y.conf", "--print-config",
	    NULL), -1, "long options parse");
	ok(c.print_config && c.config_given, "--print-config is set");
	is_int(parse(&c, out, sizeof out, "-n", "25", NULL), -1, "-n parses");
	is_int(c.count, 25, "-n keeps the message count");
	is_int(parse(&c, out, sizeof out, "--count", "0", NULL), EXIT_USAGE,
	    "-n 0 is a usage error");
	is_int(parse(&c, out, sizeof out, "-n", "12x", NULL), EXIT_USAGE,
	    "-n with trailing junk is a usage error");
	is_int(parse(&c, out, sizeof out, "--bogus", NULL), EXIT_USAGE,
	    "an unknown option is a usage error (64)");
	like(errout, "unknown option '--bogus'", "the error names the long "
	    "option");
	is_int(parse(&c, out, sizeof out, "-xt", NULL), EXIT_USAGE,
	    "an unknown letter in a bundle is a usage error");
	like(errout, "unknown option '-x'", "the error names the bad letter, not "
	    "the program (-xt)");
	is_int(parse(&c, out, sizeof out, "-tc", NULL), EXIT_USAGE,
	    "a bundle ending in -c without a value is a usage error");
	like(errout, "option '-c' needs a value", "the error names -c");
	is_int(parse(&c, out, sizeof out, "-c", NULL), EXIT_USAGE,
	    "-c without a value is a usage error");
	is_int(parse(&c, out, sizeof out, "extra", NULL), EXIT_USAGE,
	    "a stray argument is a usage error");
	is_int(parse(&c, out, sizeof out, "-t", "-p", NULL), EXIT_USAGE,
	    "-t and -p together are a usage error");
	is_int(parse(&c, out, sizeof out, "--demo", NULL), -1, "--demo parses");
	ok(c.demo, "--demo is set");
	ok(c.demo_bootstrap == NULL, "without --bootstrap the demo's cluster "
	    "is the embedded mock");
	is_int(parse(&c, out, sizeof out, "--demo", "--bootstrap",
	    "127.0.0.1:9092", NULL), -1, "--demo --bootstrap LIST parses");
	is_str(c.demo_bootstrap, "127.0.0.1:9092", "and names the real "
	    "cluster");
	is_int(parse(&c, out, sizeof out, "--bootstrap", "127.0.0.1:9092",
	    NULL), EXIT_USAGE, "--bootstrap without --demo is a usage error");
	like(errout, "--bootstrap goes with --demo", "and says why");
	is_int(parse(&c, out, sizeof out, "-V", NULL), EXIT_CLEAN,
	    "-V exits 0");
	like(out, "librdkafka", "-V names the librdkafka version");
	is_int(parse(&c, out, sizeof out, "--help", NULL), EXIT_CLEAN,
	    "--help exits 0");
	like(out, "--test-config", "--help lists the options");
	like(out, "78 invalid configuration", "--help lists the exit codes");
	return tap_done();
}
