/*
 * fuzz_config.h: what the two configuration harnesses share: write the
 * input to a file with the front-end's suffix and load it.
 *
 * libFuzzer's thread only.
 */
#ifndef KCONSUMERD_FUZZ_CONFIG_H
#define KCONSUMERD_FUZZ_CONFIG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"

/* Load data as a configuration file named *suffix; errors are expected. */
static inline void
fuzz_config_load(const uint8_t *data, size_t size, const char *suffix)
{
	static char path[256];
	struct config *cfg;
	struct diag d;
	FILE *fp;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "%s/kconsumerd-fuzz-%ld%s",
		    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp",
		    (long)getpid(), suffix);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, fp);
	fclose(fp);
	diag_init(&d);
	cfg = config_load(path, CONFIG_LOAD_NO_BOOTSTRAP, &d);
	diag_free(&d);
	if (cfg != NULL)
		config_free(cfg);
}

#endif
