/*
 * t_config_man.c: kconsumerd.conf(5) documents every option of the
 * schema, and every word a word option takes.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "buf.h"
#include "config_fixture.h"
#include "../tap.h"

/* The whole of a file, or NULL. */
static char *
slurp(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b);
	buf_adds(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b);
}

int
main(void)
{
	char *path = fixture_srcdir_path("man/kconsumerd.conf.5");
	char *page = slurp(path);
	const struct config_option *o;
	size_t i;

	if (!ok(page != NULL, "%s can be read", path))
		return tap_done();
	for (o = config_options; o < config_options + config_noptions; o++) {
		ok(strstr(page, o->name) != NULL, "the page documents %s",
		    o->name);
		for (i = 0; o->words != NULL && o->words[i] != NULL; i++)
			ok(strstr(page, o->words[i]) != NULL, "the page names "
			    "%s's word %s", o->name, o->words[i]);
	}
	free(page);
	free(path);
	return tap_done();
}
