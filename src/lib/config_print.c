/*
 * config_print.c: --print-config: the effective configuration, one
 * "name = value" line per option in schema order, then the librdkafka
 * properties, sorted, with what kconsumerd sets by itself and secrets
 * masked (a secret given by reference shows its reference).
 *
 * Main thread only (kconsumerd -p).
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "config_kafka.h"
#include "config_schema.h"
#include "xmalloc.h"

/* One line of the printed kafka group. */
struct config_print_prop {
	const char	*name;
	char		*value;		/* NULL: values, one per consumer */
	const char	*ref;		/* a secret's reference: printed */
	char		**values;
};

/* Order printed kafka properties by name. */
static int
config_kafka_cmp(const void *a, const void *b)
{
	const struct config_print_prop *pa = a, *pb = b;

	return strcmp(pa->name, pb->name);
}
/* Append a list of strings as a JSON array. */
static void
config_print_list(struct buf *b, char *const *v, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		buf_json_cstr(b, v[i]);
	}
	buf_addc(b, ']');
}

/* A table row as printed: its value, or one per consumer when it differs
   between them (client.id). */
static void
config_print_own(struct config_print_prop *p, const struct config *cfg,
    const struct config_kafka_own *k)
{
	int64_t i;

	p->name = k->name;
	p->value = config_kafka_own_value(k, 0);
	if (cfg->consumers < 2 || strstr(k->value, "%i") == NULL)
		return;
	free(p->value);
	p->value = NULL;
	p->values = xcalloc((size_t)cfg->consumers, sizeof *p->values);
	for (i = 0; i < cfg->consumers; i++)
		p->values[i] = config_kafka_own_value(k, (int)i);
}

/* Append the effective librdkafka properties, sorted, secrets masked:
   those of the kafka group, then those kconsumerd sets by itself where
   the group does not (or librdkafka's own value where kconsumerd leaves
   one alone, as statistics.interval.ms when nothing reads them). */
static void
config_print_kafka(struct buf *b, const struct config *cfg,
    const struct config_option *o)
{
	const struct config_kafka_own *k;
	struct config_print_prop *v;
	size_t i, n = 0;
	int64_t c;

	v = xcalloc(cfg->nkafka + config_kafka_nown, sizeof *v);
	for (i = 0; i < cfg->nkafka; i++) {
		v[n].name = cfg->kafka[i].name;
		v[n].ref = cfg->kafka[i].ref;
		v[n++].value = xstrdup(cfg->kafka[i].value);
	}
	for (i = 0; i < config_kafka_nown; i++) {
		k = &config_kafka_own[i];
		if (config_kafka_get(cfg, k->name) != NULL)
			continue;
		if (config_kafka_own_applies(k, cfg))
			config_print_own(&v[n++], cfg, k);
		else if (k->otherwise != NULL) {
			v[n].name = k->name;
			v[n++].value = xstrdup(k->otherwise);
		}
	}
	qsort(v, n, sizeof *v, config_kafka_cmp);
	for (i = 0; i < n; i++) {
		buf_printf(b, "%s.%s = ", o->name, v[i].name);
		if (v[i].ref != NULL)
			buf_json_cstr(b, v[i].ref);
		else if (config_is_secret(v[i].name))
			buf_adds(b, "\"***\"");
		else if (v[i].value != NULL)
			buf_json_cstr(b, v[i].value);
		else
			config_print_list(b, v[i].values, cfg->consumers);
		buf_addc(b, '\n');
		free(v[i].value);
		for (c = 0; v[i].values != NULL && c < cfg->consumers; c++)
			free(v[i].values[c]);
		free(v[i].values);
	}
	free(v);
}

/* Append one option as "name = value" lines. */
static void
config_print_option(struct buf *b, const struct config *cfg,
    const struct config_option *o)
{
	void *field = config_field(cfg, o);

	if (o->type == CONFIG_TYPE_KAFKA) {
		config_print_kafka(b, cfg, o);
		return;
	}
	buf_printf(b, "%s = ", o->name);
	if (!config_option_applies(cfg, o))
		buf_adds(b, "null");	/* the broker's under consumer */
	else if (o->type == CONFIG_TYPE_STRING)
		buf_json_cstr(b, *(char **)field);
	else if (o->type == CONFIG_TYPE_INT)
		buf_printf(b, "%lld", (long long)*(int64_t *)field);
	else if (o->type == CONFIG_TYPE_WORD)
		buf_json_cstr(b, o->words[*(int *)field]);
	else
		config_print_list(b, *(char ***)field, *config_count(cfg, o));
	buf_addc(b, '\n');
	if (o->offset == offsetof(struct config, instance_id) &&
	    cfg->instance_ids != NULL) {
		buf_printf(b, "%s.resolved = ", o->name);
		config_print_list(b, cfg->instance_ids, cfg->consumers);
		buf_addc(b, '\n');
	}
}

/* Print the effective configuration, one "name = value" per line. */
void
config_print(const struct config *cfg, FILE *fp)
{
	const struct config_option *o;
	struct buf b;

	buf_init(&b);
	for (o = config_options; o < config_options + config_noptions; o++)
		config_print_option(&b, cfg, o);
	fputs(buf_str(&b), fp);
	buf_free(&b);
}
