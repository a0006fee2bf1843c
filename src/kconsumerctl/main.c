/*
 * main.c: kconsumerctl, the companion tool that reads what
 * kconsumerd leaves behind. This file only dispatches to the commands in
 * ctl_commands; each command parses its own options.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "exitcodes.h"
#include "describe.h"
#include "timeline.h"

struct ctl_command {
	const char	*name;
	int		(*main)(int, char **);	/* argv[0] is the name */
	void		(*usage)(FILE *);
	const char	*summary;
};

/* The commands, in the order --help lists them. */
static const struct ctl_command ctl_commands[] = {
	{ "timeline", timeline_main, timeline_usage,
	    "partition ownership and rebalance episodes from event logs" },
	{ "describe", describe_main, describe_usage,
	    "a consumer group's offsets, lag and owners, from the cluster" },
};

#define CTL_NCOMMANDS	(sizeof ctl_commands / sizeof *ctl_commands)

/* Print the top-level usage with one line per command. */
static void
ctl_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: kconsumerctl COMMAND [ARG...]\n"
	    "       kconsumerctl help COMMAND | --help | --version\n\n"
	    "Look into what kconsumerd did, from its logs and from the cluster.\n\n"
	    "commands:\n");
	for (i = 0; i < CTL_NCOMMANDS; i++)
		fprintf(fp, "  %-12s %s\n", ctl_commands[i].name,
		    ctl_commands[i].summary);
	fprintf(fp, "\n\"kconsumerctl COMMAND --help\" explains a command. "
	    "See kconsumerctl(1).\n");
}

/* The command called name, or NULL. */
static const struct ctl_command *
ctl_find(const char *name)
{
	size_t i;

	for (i = 0; i < CTL_NCOMMANDS; i++)
		if (strcmp(ctl_commands[i].name, name) == 0)
			return &ctl_commands[i];
	return NULL;
}

/* Dispatch on the first argument. */
int
main(int argc, char **argv)
{
	const struct ctl_command *cmd;
	const char *name = argc > 1 ? argv[1] : NULL;

	if (name == NULL) {
		ctl_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
		ctl_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
		printf("kconsumerctl (kconsumerd) %s\n", PACKAGE_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(name, "help") == 0 && argc == 2) {
		ctl_usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(name, "help") == 0 && (cmd = ctl_find(argv[2])) != NULL) {
		cmd->usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(name, "help") == 0)
		name = argv[2];
	if ((cmd = ctl_find(name)) == NULL) {
		fprintf(stderr, "kconsumerctl: unknown command '%s' (try "
		    "kconsumerctl --help)\n", name);
		return EXIT_USAGE;
	}
	return cmd->main(argc - 1, argv + 1);
}
