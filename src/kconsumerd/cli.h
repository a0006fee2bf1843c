/*
 * cli.h: kconsumerd's command line (a contract: see kconsumerd(8)).
 *
 * Main thread only.
 */
#ifndef KCONSUMERD_CLI_H
#define KCONSUMERD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct cli {
	const char	*config_path;	/* -c; else cli_default_config() */
	bool		 config_given;	/* -c was on the command line */
	bool		 test_config;	/* -t */
	bool		 print_config;	/* -p */
	bool		 demo;		/* --demo */
	const char	*demo_bootstrap; /* --bootstrap: the demo's cluster */
	bool		 demo_compare;	/* --compare: once per protocol */
	int64_t		 count;		/* -n; 0: no limit */
};

/* -1 to go on; otherwise the exit status (0 after --help/--version). */
int cli_parse(int argc, char **argv, struct cli *c, FILE *out, FILE *err);
void cli_usage(FILE *fp);
const char *cli_default_config(void);

#endif
