/*
 * config_libconfig.c: the libconfig front-end. It walks the setting tree
 * and hands every value to the loader's callback (config_loader.h) with
 * its dotted path, file and line; it knows nothing about the options
 * themselves. The file is read here and given to libconfig as a string,
 * so that a UTF-8 byte order mark is skipped (as the YAML front-end does)
 * and a NUL byte, which libconfig would silently take for the end of a
 * string, is refused.
 *
 * Main thread only (while the configuration is loaded).
 */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * libconfig.h #defines CONFIG_TYPE_INT and friends, the names of config.h's
 * schema types: config.h comes first, and below CONFIG_TYPE_* are
 * libconfig's setting types.
 */
#include "buf.h"
#include "config_loader.h"
#include "diag.h"
#include "xmalloc.h"

#include <libconfig.h>

static void config_libconfig_group(const struct config_loader *,
    config_setting_t *, const char *, const char *);

/* Fill a scalar value from a setting; false when it is not a scalar. */
static bool
config_libconfig_scalar(config_setting_t *s, struct config_value *v)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		v->kind = CONFIG_VALUE_INT;
		v->num = config_setting_get_int64(s);
		return true;
	case CONFIG_TYPE_FLOAT:
		v->kind = CONFIG_VALUE_FLOAT;
		v->dbl = config_setting_get_float(s);
		return true;
	case CONFIG_TYPE_BOOL:
		v->kind = CONFIG_VALUE_BOOL;
		v->boolean = config_setting_get_bool(s);
		v->str = v->boolean ? "true" : "false";
		return true;
	case CONFIG_TYPE_STRING:
		v->kind = CONFIG_VALUE_STRING;
		v->str = config_setting_get_string(s);
		return true;
	default:
		return false;
	}
}

/* Fill v from any setting; list items are allocated into v->list. */
static void
config_libconfig_value(config_setting_t *s, const char *file,
    struct config_value *v)
{
	int i, n;

	memset(v, 0, sizeof *v);
	v->file = config_setting_source_file(s);
	if (v->file == NULL)
		v->file = file;
	v->line = config_setting_source_line(s);
	if (config_libconfig_scalar(s, v))
		return;
	if (config_setting_type(s) == CONFIG_TYPE_GROUP) {
		v->kind = CONFIG_VALUE_GROUP;
		return;
	}
	v->kind = CONFIG_VALUE_LIST;
	n = config_setting_length(s);
	v->list = xcalloc(n, sizeof *v->list);
	v->nlist = n;
	for (i = 0; i < n; i++) {
		config_libconfig_value(config_setting_get_elem(s, i), file,
		    &v->list[i]);
		/* Lists hold scalars: a nested list is only its kind. */
		if (v->list[i].kind == CONFIG_VALUE_LIST) {
			free(v->list[i].list);
			v->list[i].list = NULL;
			v->list[i].nlist = 0;
		}
	}
}

/* Hand one setting to the loader; descend into a group when the loader
   says it is a group of options. */
static void
config_libconfig_setting(const struct config_loader *ld,
    config_setting_t *s, const char *path, const char *file)
{
	struct config_value v;

	config_libconfig_value(s, file, &v);
	if (ld->value(ld->arg, path, CONFIG_KEY_UNDERSCORE_DOTS, &v) &&
	    v.kind == CONFIG_VALUE_GROUP)
		config_libconfig_group(ld, s, path, file);
	free(v.list);
}

/* Walk a group's settings in file order. */
static void
config_libconfig_group(const struct config_loader *ld,
    config_setting_t *group, const char *prefix, const char *file)
{
	config_setting_t *s;
	char *path;
	int i;

	for (i = 0; (s = config_setting_get_elem(group, i)) != NULL; i++) {
		if (*prefix == '\0')
			path = xstrdup(config_setting_name(s));
		else
			xasprintf(&path, "%s.%s", prefix,
			    config_setting_name(s));
		config_libconfig_setting(ld, s, path, file);
		free(path);
	}
}

#define CONFIG_LIBCONFIG_BOM "\xef\xbb\xbf"

/*
 * Read path into b as text for libconfig; false after recording why not
 * (unreadable, or a NUL byte, with its line).
 */
static bool
config_libconfig_read(const char *path, struct buf *b, struct diag *d)
{
	char chunk[8192];
	const char *nul;
	size_t n;
	int line = 1;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		return false;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp)) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		fclose(fp);
		return false;
	}
	fclose(fp);
	if (b->len > 0 && (nul = memchr(b->data, '\0', b->len)) != NULL) {
		for (const char *p = b->data; p < nul; p++)
			line += *p == '\n';
		diag_error(d, path, line, "a NUL byte (\\0): a configuration "
		    "file is text; remove it");
		return false;
	}
	buf_addc(b, '\0');
	return true;
}

/*
 * Find an integer literal too large for 64 bits in libconfig text
 * (libconfig 1.5 would silently wrap it); false after recording it with
 * its line. Strings, comments and names are skipped; a float is not an
 * integer.
 */
static bool
config_libconfig_ints_fit(const char *text, const char *path, struct diag *d)
{
	const char *p = text, *start;
	int line = 1;
	bool hex;

	while (*p != '\0') {
		if (*p == '\n')
			line++;
		if (*p == '"') {		/* a string, escapes included */
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				else if (*p == '\n')
					line++;
			}
		} else if (*p == '#' || (*p == '/' && p[1] == '/')) {
			while (p[1] != '\0' && p[1] != '\n')
				p++;
		} else if (*p == '/' && p[1] == '*') {
			for (p += 2; *p != '\0' && !(*p == '*' && p[1] == '/');
			    p++)
				line += *p == '\n';
			if (*p != '\0')
				p++;
		} else if (isalpha((unsigned char)*p) || *p == '*') {
			while (isalnum((unsigned char)p[1]) || p[1] == '_' ||
			    p[1] == '-' || p[1] == '*')
				p++;
		} else if (isdigit((unsigned char)*p)) {
			start = p;
			hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
			p += hex ? 2 : 0;
			while (hex ? isxdigit((unsigned char)*p) :
			    isdigit((unsigned char)*p))
				p++;
			if (!hex && (*p == '.' || *p == 'e' || *p == 'E'))
				continue;	/* a float */
			errno = 0;
			if (hex)
				(void)strtoull(start, NULL, 16);
			else
				(void)strtoll(start, NULL, 10);
			if (errno == ERANGE) {
				diag_error(d, path, line, "the integer %.*s is "
				    "too large: the largest is %s",
				    (int)(p - start), start, hex ?
				    "0xFFFFFFFFFFFFFFFF" :
				    "9223372036854775807");
				return false;
			}
			continue;
		}
		if (*p != '\0')
			p++;
	}
	return true;
}

/* libconfig's error text, made to say what went wrong for the user. */
static const char *
config_libconfig_error_text(const config_t *c)
{
	const char *text = config_error_text(c);

	if (text != NULL && strcmp(text, "memory exhausted") == 0)
		return "groups, lists or arrays nested too deeply for the "
		    "libconfig parser";
	return text != NULL ? text : "syntax error";
}

/* Parse a libconfig file; false on a syntax error (recorded in d). */
static bool
config_libconfig_parse(const struct config_loader *ld, const char *path,
    struct diag *d)
{
	struct buf b;
	const char *text;
	config_t c;
	char *dir;
	bool ok;

	buf_init(&b);
	if (!config_libconfig_read(path, &b, d)) {
		buf_free(&b);
		return false;
	}
	text = b.data;
	if (strncmp(text, CONFIG_LIBCONFIG_BOM, 3) == 0)
		text += 3;
	if (!config_libconfig_ints_fit(text, path, d)) {
		buf_free(&b);
		return false;
	}
	config_init(&c);
	dir = xstrdup(path);
	config_set_include_dir(&c, dirname(dir));
	if ((ok = config_read_string(&c, text) == CONFIG_TRUE))
		config_libconfig_group(ld, config_root_setting(&c), "", path);
	else
		diag_error(d, config_error_file(&c) != NULL ?
		    config_error_file(&c) : path, config_error_line(&c),
		    "%s", config_libconfig_error_text(&c));
	config_destroy(&c);
	free(dir);
	buf_free(&b);
	return ok;
}

/* The libconfig front-end: files only. */
const struct config_syntax config_libconfig_syntax = {
	.name = "libconfig",
	.parse = config_libconfig_parse,
	.parse_text = NULL,
};
