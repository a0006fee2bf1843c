/*
 * config_kafka.c: the kafka group, librdkafka properties passed through.
 * librdkafka itself checks each property (on a scratch configuration); a
 * property an option owns is refused with the option to use instead, one
 * kconsumerd forces (config_kafka_own.c) with the reason.
 * config_kafka_conf builds each consumer's librdkafka configuration,
 * config_instance_id its group.instance.id.
 *
 * Main thread only while loading; config_kafka_conf from any thread.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_kafka.h"
#include "config_loader.h"
#include "config_schema.h"
#include "config_secret.h"
#include "diag.h"
#include "template.h"
#include "xmalloc.h"

/* A front-end value as the string librdkafka wants; NULL if not a scalar. */
static char *
config_kafka_value(const struct config_value *v)
{
	char *s;
	int prec;

	switch (v->kind) {
	case CONFIG_VALUE_STRING:
		return xstrdup(v->str);
	case CONFIG_VALUE_INT:
		xasprintf(&s, "%lld", (long long)v->num);
		return s;
	case CONFIG_VALUE_BOOL:
		return xstrdup(v->boolean ? "true" : "false");
	case CONFIG_VALUE_FLOAT:
		for (prec = 6;; prec++) {
			xasprintf(&s, "%.*g", prec, v->dbl);
			if (prec == 17 || strtod(s, NULL) == v->dbl)
				return s;
			free(s);
		}
	default:
		return NULL;
	}
}

/* True (after reporting it) when kconsumerd owns a kafka property. */
static bool
config_kafka_owned(struct diag *d, const char *name,
    const struct config_value *v)
{
	const struct config_kafka_own *k;
	const struct config_option *o;

	for (o = config_options; o < config_options + config_noptions; o++) {
		if (o->kafka_name != NULL && strcmp(o->kafka_name, name) == 0) {
			diag_error(d, v->file, v->line, "kafka property "
			    "'%s' is set by the option %s: set that instead "
			    "(each setting lives in one place)", name, o->name);
			return true;
		}
	}
	if ((k = config_kafka_own_find(name)) != NULL &&
	    k->kind == CONFIG_KAFKA_FORCED) {
		diag_error(d, v->file, v->line, "kafka property '%s' cannot "
		    "be set: kconsumerd sets it to %s because %s", name,
		    k->value, k->why);
		return true;
	}
	return false;
}

/* config_kafka_owned for a libconfig name with each '_' read as '.'
   (group_protocol), which librdkafka did not know to translate. */
static bool
config_kafka_owned_dotted(struct diag *d, const char *name, int key_flags,
    const struct config_value *v)
{
	char *dotted, *p;
	bool owned;

	if ((key_flags & CONFIG_KEY_UNDERSCORE_DOTS) == 0)
		return false;
	dotted = xstrdup(name);
	for (p = dotted; *p != '\0'; p++)
		if (*p == '_')
			*p = '.';
	owned = config_kafka_owned(d, dotted, v);
	free(dotted);
	return owned;
}

/* The stored kafka property called name, or NULL. */
static struct config_kafka_prop *
config_kafka_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nkafka; i++)
		if (strcmp(cfg->kafka[i].name, name) == 0)
			return &cfg->kafka[i];
	return NULL;
}

/* Append a kafka property (ref: the reference it was read from). */
static void
config_kafka_add(struct config *cfg, const char *name, const char *value,
    const char *ref, const char *file, int line)
{
	struct config_kafka_prop *p;

	cfg->kafka = xreallocarray(cfg->kafka, cfg->nkafka + 1,
	    sizeof *cfg->kafka);
	p = &cfg->kafka[cfg->nkafka++];
	p->name = xstrdup(name);
	p->value = xstrdup(value);
	p->ref = ref != NULL ? xstrdup(ref) : NULL;
	p->file = file != NULL ? xstrdup(file) : NULL;
	p->line = line;
}

/*
 * Try a property on the scratch configuration; a libconfig name is tried
 * as written, then with each '_' read as '.'. *name becomes the name
 * librdkafka knew (to be freed when it differs).
 */
static rd_kafka_conf_res_t
config_kafka_try(rd_kafka_conf_t *scratch, char **name, int key_flags,
    const char *value, char *errstr, size_t errlen)
{
	rd_kafka_conf_res_t res;
	char *dotted, *p;

	res = rd_kafka_conf_set(scratch, *name, value, errstr, errlen);
	if (res != RD_KAFKA_CONF_UNKNOWN ||
	    (key_flags & CONFIG_KEY_UNDERSCORE_DOTS) == 0 ||
	    strchr(*name, '_') == NULL)
		return res;
	dotted = xstrdup(*name);
	for (p = dotted; *p != '\0'; p++)
		if (*p == '_')
			*p = '.';
	res = rd_kafka_conf_set(scratch, dotted, value, errstr, errlen);
	if (res == RD_KAFKA_CONF_UNKNOWN)
		free(dotted);
	else
		*name = dotted;
	return res;
}

/*
 * Resolve a written value: a reference is read (*ref takes it over), an
 * escaped "@@scheme:" loses its first '@'. False (reported) when a
 * reference cannot be read.
 */
static bool
config_kafka_resolve(struct diag *d, const char *written,
    const struct config_value *v, char **value, char **ref)
{
	char *err, *s;

	*ref = NULL;
	if (v->kind != CONFIG_VALUE_STRING)
		return true;
	switch (config_secret_kind(*value)) {
	case CONFIG_SECRET_LITERAL:
		return true;
	case CONFIG_SECRET_ESCAPED:
		memmove(*value, *value + 1, strlen(*value));
		return true;
	case CONFIG_SECRET_UNKNOWN:
		diag_warn(d, v->file, v->line, "kafka property '%s' starts "
		    "like a reference but names no known scheme (@file:, "
		    "@credential:, @env:): taken as written", written);
		return true;
	case CONFIG_SECRET_REFERENCE:
		break;
	}
	if ((s = config_secret_read(*value, v->file, &err)) == NULL) {
		diag_error(d, v->file, v->line, "kafka property '%s': %s",
		    written, err);
		free(err);
		return false;
	}
	*ref = *value;
	*value = s;
	return true;
}

/* Warn when a secret is written in clear in a file others can read. */
static void
config_kafka_warn_clear(struct diag *d, const char *name,
    const struct config_value *v)
{
	struct stat st;

	if (v->file == NULL || !config_secret_in_clear(name) ||
	    stat(v->file, &st) != 0 || (st.st_mode & S_IROTH) == 0)
		return;
	diag_warn(d, v->file, v->line, "kafka property '%s' holds a secret "
	    "in clear in a file others can read (mode %04o): give it by "
	    "reference (@file:, @credential:, @env:) or chmod o-r %s", name,
	    (unsigned)(st.st_mode & 07777), v->file);
}

/*
 * Store one property of the kafka group after librdkafka accepted it on
 * the scratch configuration.
 */
void
config_kafka_put(struct config *cfg, rd_kafka_conf_t *scratch,
    struct diag *d, const char *written, int key_flags,
    const struct config_value *v)
{
	struct config_kafka_prop *prev;
	rd_kafka_conf_res_t res;
	char errstr[512], *value, *ref, *name = (char *)written;

	if ((value = config_kafka_value(v)) == NULL) {
		diag_error(d, v->file, v->line, "kafka property '%s' wants "
		    "a string, number or boolean, not %s", written,
		    config_value_kind_name(v->kind));
		return;
	}
	if (!config_kafka_resolve(d, written, v, &value, &ref)) {
		free(value);
		return;
	}
	res = config_kafka_try(scratch, &name, key_flags, value, errstr,
	    sizeof errstr);
	if (ref == NULL && res == RD_KAFKA_CONF_OK)
		config_kafka_warn_clear(d, name, v);
	if (config_kafka_owned(d, name, v))
		;
	else if (res == RD_KAFKA_CONF_INVALID && ref != NULL)
		diag_error(d, v->file, v->line, "kafka property '%s': "
		    "librdkafka refused the value read from %s (not shown)",
		    name, ref);
	else if (res == RD_KAFKA_CONF_UNKNOWN &&
	    config_kafka_owned_dotted(d, name, key_flags, v))
		;	/* an option's property this librdkafka lacks */
	else if (res == RD_KAFKA_CONF_INVALID && config_is_secret(name))
		diag_error(d, v->file, v->line, "kafka property '%s': "
		    "librdkafka refused the value (not shown: it is a secret)",
		    name);
	else if (res != RD_KAFKA_CONF_OK)
		diag_error(d, v->file, v->line, "kafka property '%s': %s "
		    "(see librdkafka's CONFIGURATION.md)", written, errstr);
	else if ((prev = config_kafka_find(cfg, name)) != NULL)
		diag_error(d, v->file, v->line, "kafka property '%s' is set "
		    "twice (first at %s:%d)", name, prev->file, prev->line);
	else
		config_kafka_add(cfg, name, value, ref, v->file, v->line);
	if (name != written)
		free(name);
	free(value);
	free(ref);
}

/* The value of a kafka property, or NULL when it is not set. */
const char *
config_kafka_get(const struct config *cfg, const char *name)
{
	const struct config_kafka_prop *p = config_kafka_find(cfg, name);

	return p != NULL ? p->value : NULL;
}

/* Set or replace a kafka property (for code that supplies one itself). */
void
config_kafka_set(struct config *cfg, const char *name, const char *value)
{
	struct config_kafka_prop *p;

	if ((p = config_kafka_find(cfg, name)) == NULL) {
		config_kafka_add(cfg, name, value, NULL, NULL, 0);
		return;
	}
	free(p->value);
	p->value = xstrdup(value);
	free(p->ref);
	p->ref = NULL;
}

/* Set a property on conf; false (errstr set) when librdkafka refuses. */
static bool
config_conf_set(rd_kafka_conf_t *conf, const char *name, const char *value,
    char *errstr, size_t errlen)
{
	return rd_kafka_conf_set(conf, name, value, errstr, errlen) ==
	    RD_KAFKA_CONF_OK;
}

/*
 * The instance id of member consumer (to be freed), NULL when dynamic:
 * the resolved one, or for a member beyond consumers (the demo runs
 * three) the template expanded anew.
 */
char *
config_instance_id(const struct config *cfg, int consumer)
{
	char host[256], *err = NULL, *id;

	if (cfg->instance_id == NULL)
		return NULL;
	if (cfg->instance_ids != NULL && consumer < cfg->consumers)
		return xstrdup(cfg->instance_ids[consumer]);
	template_short_hostname(host, sizeof host);
	id = template_expand(cfg->instance_id, host, consumer, &err);
	free(err);
	return id;
}

/* The librdkafka value of an option that owns a property; NULL: unset. */
static char *
config_owned_value(const struct config *cfg, const struct config_option *o,
    int consumer)
{
	void *field = config_field(cfg, o);
	char *s;

	if (o->offset == offsetof(struct config, instance_id))
		return config_instance_id(cfg, consumer);
	if (o->type == CONFIG_TYPE_INT) {
		xasprintf(&s, "%lld", (long long)*(int64_t *)field);
		return s;
	}
	if (o->type == CONFIG_TYPE_WORD)
		return xstrdup(o->words[*(int *)field]);
	return *(char **)field != NULL ? xstrdup(*(char **)field) : NULL;
}

/* librdkafka 2.4.0 is the first to know group.protocol. */
#define CONFIG_KAFKA_GROUP_PROTOCOL_VERSION 0x020400ff

/*
 * Whether an option's property goes to librdkafka: not a classic-only
 * one under group.protocol consumer (librdkafka 2.10+ refuses even their
 * defaults), and group.protocol classic only where librdkafka knows the
 * property (it is the default everywhere).
 */
static bool
config_kafka_row_wanted(const struct config *cfg,
    const struct config_option *o)
{
	if (!config_option_applies(cfg, o))
		return false;
	if (o->offset == offsetof(struct config, group_protocol))
		return cfg->group_protocol != CONFIG_GROUP_PROTOCOL_CLASSIC ||
		    rd_kafka_version() >= CONFIG_KAFKA_GROUP_PROTOCOL_VERSION;
	return true;
}

/*
 * A new librdkafka configuration for one consumer: the kafka properties,
 * the properties options own, and the table of those kconsumerd sets by
 * itself (a default only where the kafka group does not set it). NULL
 * (errstr set) when refused.
 */
rd_kafka_conf_t *
config_kafka_conf(const struct config *cfg, int consumer, char *errstr,
    size_t errlen)
{
	const struct config_option *o;
	const struct config_kafka_own *k;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char *value;
	bool ok = true;
	size_t i;

	for (i = 0; ok && i < cfg->nkafka; i++)
		ok = config_conf_set(conf, cfg->kafka[i].name,
		    cfg->kafka[i].value, errstr, errlen);
	for (o = config_options; ok && o < config_options + config_noptions;
	    o++) {
		if (o->kafka_name == NULL || !config_kafka_row_wanted(cfg, o) ||
		    (value = config_owned_value(cfg, o, consumer)) == NULL)
			continue;
		if (*value == '\0') {	/* group.remote_assignor "": unset */
			free(value);
			continue;
		}
		ok = config_conf_set(conf, o->kafka_name, value, errstr,
		    errlen);
		free(value);
	}
	for (k = config_kafka_own; ok && k < config_kafka_own +
	    config_kafka_nown; k++) {
		if ((k->kind == CONFIG_KAFKA_DEFAULT &&
		    config_kafka_get(cfg, k->name) != NULL) ||
		    !config_kafka_own_applies(k, cfg))
			continue;
		value = config_kafka_own_value(k, consumer);
		ok = config_conf_set(conf, k->name, value, errstr, errlen);
		free(value);
	}
	if (!ok) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}

/*
 * A producer's librdkafka configuration on the same cluster (the dead
 * letters'): the kafka group's properties over the given defaults
 * (name, value pairs, n of them); the consumer's own properties are not
 * set. NULL (errstr set) when refused.
 */
rd_kafka_conf_t *
config_kafka_producer_conf(const struct config *cfg,
    const char *const (*defaults)[2], size_t n, char *errstr, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	bool ok = true;
	size_t i;

	for (i = 0; ok && i < n; i++)
		ok = config_conf_set(conf, defaults[i][0], defaults[i][1],
		    errstr, errlen);
	for (i = 0; ok && i < cfg->nkafka; i++)
		ok = config_conf_set(conf, cfg->kafka[i].name,
		    cfg->kafka[i].value, errstr, errlen);
	if (!ok) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}
