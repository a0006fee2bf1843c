/*
 * main.c: wires kconsumerd's modules together; see daemon.c for the work.
 */
#include "autoconf.h"

#include <stdio.h>

#include "cli.h"
#include "daemon.h"
#include "log.h"
#include "stdfds.h"

int
main(int argc, char **argv)
{
	struct cli c;
	int rc;

	stdfds_reserve();
	log_init();
	if ((rc = cli_parse(argc, argv, &c, stdout, stderr)) != -1)
		return rc;
	rc = daemon_main(&c);
	log_free();
	return rc;
}
