/*
 * t_config_man.c: kconsumerd.conf(5) documents every option of the
 * schema with the row's type, default and bounds (its ".It Ic NAME Pq
 * ..." line), and every word a word option takes.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config_fixture.h"
#include "config_schema.h"
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

/* What the page must say of a row after ".It Ic NAME Pq " (to be freed);
   NULL for the kafka group, whose line has no default. */
static char *
want_line(const struct config_option *o)
{
	char *s;

	switch (o->type) {
	case CONFIG_TYPE_INT:
		xasprintf(&s, "integer, default %lld, %lld to %lld",
		    (long long)o->default_num, (long long)o->minimum,
		    (long long)o->maximum);
		return s;
	case CONFIG_TYPE_WORD:
		xasprintf(&s, "word, default Li %s", o->words[o->default_num]);
		return s;
	case CONFIG_TYPE_STRING:
		if (o->required)
			return xstrdup("string, required");
		if (o->default_str == NULL)
			return xstrdup("string, default unset");
		xasprintf(&s, "string, default Li \\(dq%s\\(dq",
		    o->default_str);
		return s;
	case CONFIG_TYPE_LIST:
		return xstrdup(o->required ? "list of strings, required" :
		    "list of strings, default unset");
	default:
		return NULL;
	}
}

/* The rest of the page's ".It Ic NAME Pq " line (to be freed), with
   "string template" read as "string"; NULL when there is none. */
static char *
page_line(const char *page, const char *name)
{
	const char *p, *end, *tmpl = "string template";
	char *head, *line;

	xasprintf(&head, "\n.It Ic %s Pq ", name);
	p = strstr(page, head);
	if (p == NULL) {
		free(head);
		return NULL;
	}
	p += strlen(head);
	free(head);
	end = strchr(p, '\n');
	line = xstrndup(p, end != NULL ? (size_t)(end - p) : strlen(p));
	if (strncmp(line, tmpl, strlen(tmpl)) == 0)
		memmove(line + strlen("string"), line + strlen(tmpl),
		    strlen(line + strlen(tmpl)) + 1);
	return line;
}

int
main(void)
{
	char *path = fixture_srcdir_path("man/kconsumerd.conf.5");
	char *page = slurp(path);
	const struct config_option *o;
	char *want, *got;
	size_t i;

	if (!ok(page != NULL, "%s can be read", path))
		return tap_done();
	for (o = config_options; o < config_options + config_noptions; o++) {
		ok(strstr(page, o->name) != NULL, "the page documents %s",
		    o->name);
		if ((want = want_line(o)) != NULL) {
			got = page_line(page, o->name);
			if (!ok(got != NULL && strcmp(got, want) == 0, "the page "
			    "gives %s's type, default and bounds as the schema "
			    "row does", o->name))
				printf("#   page:   %s\n#   schema: %s\n",
				    got != NULL ? got : "(no .It Ic line)", want);
			free(got);
			free(want);
		}
		for (i = 0; o->words != NULL && o->words[i] != NULL; i++)
			ok(strstr(page, o->words[i]) != NULL, "the page names "
			    "%s's word %s", o->name, o->words[i]);
	}
	free(page);
	free(path);
	return tap_done();
}
