/*
 * daemon.c: load the configuration, answer -t / -p, run the members and
 * decide the exit status. Only this module decides the exit status.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "daemon.h"
#include "exitcodes.h"
#include "log.h"

/* Load, check or print the configuration, then run. */
int
daemon_main(const struct cli *c)
{
	struct config *cfg;
	struct diag d;
	int rc;

	diag_init(&d);
	cfg = config_load(c->config_path, 0, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (cfg == NULL)
		return EXIT_CONFIG;
	if (c->test_config) {
		fprintf(stderr, "%s: configuration is valid\n", cfg->file);
		rc = EXIT_CLEAN;
	} else if (c->print_config) {
		config_print(cfg, stdout);
		rc = EXIT_CLEAN;
	} else {
		log_errorx("the consumer engine is not built yet");
		rc = EXIT_INTERNAL;
	}
	config_free(cfg);
	return rc;
}
