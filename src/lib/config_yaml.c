/*
 * config_yaml.c: the YAML front-end. It reads libyaml's events, resolves
 * plain scalars (YAML 1.1-ish: integers, true/false, null) and hands every
 * value to the loader's callback (config_loader.h) with its dotted path,
 * file and line; it knows nothing about the options themselves. One
 * document; no anchors or aliases.
 *
 * Main thread only (while the configuration is loaded).
 */
#include "autoconf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "config_loader.h"
#include "diag.h"
#include "xmalloc.h"

struct config_yaml {
	const struct config_loader *ld;
	struct diag		*d;
	const char		*file;
	yaml_parser_t		 parser;
};

static bool config_yaml_node(struct config_yaml *, yaml_event_t *,
    const char *, int);

/* Hand a value to the loader; true when it is a group of options to
   descend into. */
static bool
config_yaml_give(struct config_yaml *y, const char *path,
    const struct config_value *v)
{
	return y->ld->value(y->ld->arg, path, 0, v);
}

/*
 * The line of byte offset in file, counting from 1: libyaml's reader
 * errors (NUL, control characters, invalid UTF-8) give an offset, not a
 * line.
 */
static int
config_yaml_offset_line(const char *file, size_t offset)
{
	FILE *fp;
	int c, line = 1;

	if ((fp = fopen(file, "r")) == NULL)
		return 1;
	while (offset-- > 0 && (c = getc(fp)) != EOF)
		line += c == '\n';
	fclose(fp);
	return line;
}

/* Read the next event; false (the problem recorded) on a syntax error. */
static bool
config_yaml_next(struct config_yaml *y, yaml_event_t *ev)
{
	yaml_parser_t *p = &y->parser;
	int line;

	if (yaml_parser_parse(p, ev))
		return true;
	line = p->error == YAML_READER_ERROR ?
	    config_yaml_offset_line(y->file, p->problem_offset) :
	    (int)p->problem_mark.line + 1;
	if (p->context != NULL)
		diag_error(y->d, y->file, line, "%s: %s", p->context,
		    p->problem);
	else
		diag_error(y->d, y->file, line, "%s",
		    p->problem != NULL ? p->problem : "cannot read the file");
	return false;
}

/* The line an event starts on, counting from 1. */
static int
config_yaml_line(const yaml_event_t *ev)
{
	return ev->start_mark.line + 1;
}

/* Consume events up to the end of a collection whose start was read. */
static bool
config_yaml_skip(struct config_yaml *y)
{
	yaml_event_t ev;
	int depth = 1;

	while (depth > 0) {
		if (!config_yaml_next(y, &ev))
			return false;
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT ||
		    ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		yaml_event_delete(&ev);
	}
	return true;
}

/* True when s is all digits after an optional sign (at least one). */
static bool
config_yaml_is_decimal(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	return *s != '\0' && s[strspn(s, "0123456789")] == '\0';
}

/* Resolve a plain scalar: null, bool, integer, number or string. */
static void
config_yaml_resolve(const char *s, struct config_value *v)
{
	char *end;

	v->kind = CONFIG_VALUE_STRING;
	if (*s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		v->kind = CONFIG_VALUE_NULL;
	else if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0)
		v->kind = CONFIG_VALUE_BOOL, v->boolean = true;
	else if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0)
		v->kind = CONFIG_VALUE_BOOL, v->boolean = false;
	else if (config_yaml_is_decimal(s) || (strncmp(s, "0x", 2) == 0 &&
	    s[2] != '\0' && s[2 + strspn(s + 2, "0123456789abcdefABCDEF")] ==
	    '\0')) {
		errno = 0;
		v->num = strtoll(s, NULL, config_yaml_is_decimal(s) ? 10 : 16);
		v->kind = errno == 0 ? CONFIG_VALUE_INT : CONFIG_VALUE_FLOAT;
		v->dbl = strtod(s, NULL);
	} else if (strpbrk(s, ".eE") != NULL && strchr("+-.0123456789", *s) &&
	    strpbrk(s, "0123456789") != NULL) {
		v->dbl = strtod(s, &end);
		if (*end == '\0')
			v->kind = CONFIG_VALUE_FLOAT;
	}
}

/* Fill v from a scalar event: quoted scalars are always strings. */
static void
config_yaml_scalar(struct config_yaml *y, const yaml_event_t *ev,
    struct config_value *v, int line)
{
	memset(v, 0, sizeof *v);
	v->str = (const char *)ev->data.scalar.value;
	v->file = y->file;
	v->line = line;
	if (ev->data.scalar.plain_implicit)
		config_yaml_resolve(v->str, v);
	else
		v->kind = CONFIG_VALUE_STRING;
}

/* Report anchors and aliases, which are not supported. */
static bool
config_yaml_check_anchor(struct config_yaml *y, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL;

	if (ev->type == YAML_ALIAS_EVENT) {
		diag_error(y->d, y->file, config_yaml_line(ev), "aliases (*%s) "
		    "are not supported: write the value out",
		    ev->data.alias.anchor);
		return false;
	}
	if (ev->type == YAML_SCALAR_EVENT)
		anchor = ev->data.scalar.anchor;
	else if (ev->type == YAML_SEQUENCE_START_EVENT)
		anchor = ev->data.sequence_start.anchor;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		anchor = ev->data.mapping_start.anchor;
	if (anchor == NULL)
		return true;
	diag_error(y->d, y->file, config_yaml_line(ev), "anchors (&%s) are "
	    "not supported: write the value out", anchor);
	return false;
}

/* Read a sequence into a list value (items are scalars), then set it. */
static bool
config_yaml_sequence(struct config_yaml *y, const char *path, int line)
{
	struct config_value v, *item;
	yaml_event_t ev;
	bool ok = true;
	size_t i;

	memset(&v, 0, sizeof v);
	v.kind = CONFIG_VALUE_LIST;
	v.file = y->file;
	v.line = line;
	while ((ok = config_yaml_next(y, &ev)) &&
	    ev.type != YAML_SEQUENCE_END_EVENT) {
		v.list = xreallocarray(v.list, v.nlist + 1, sizeof *v.list);
		item = &v.list[v.nlist++];
		memset(item, 0, sizeof *item);
		item->file = y->file;
		item->line = config_yaml_line(&ev);
		item->kind = CONFIG_VALUE_GROUP;
		if (ev.type == YAML_SCALAR_EVENT) {
			config_yaml_scalar(y, &ev, item, item->line);
			item->str = xstrdup(item->str);
		} else if (ev.type == YAML_SEQUENCE_START_EVENT) {
			item->kind = CONFIG_VALUE_LIST;
			ok = config_yaml_skip(y);
		} else if (ev.type == YAML_MAPPING_START_EVENT)
			ok = config_yaml_skip(y);
		config_yaml_check_anchor(y, &ev);
		yaml_event_delete(&ev);
		if (!ok)
			break;
	}
	if (ok) {
		yaml_event_delete(&ev);
		config_yaml_give(y, path, &v);
	}
	for (i = 0; i < v.nlist; i++)
		free((char *)v.list[i].str);
	free(v.list);
	return ok;
}

/* True (after reporting it) when key was seen in this mapping already. */
static bool
config_yaml_duplicate(struct config_yaml *y, char **keys, int *lines,
    size_t n, const char *key, int line)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i], key) == 0) {
			diag_error(y->d, y->file, line, "duplicate key '%s' "
			    "(first at line %d)", key, lines[i]);
			return true;
		}
	}
	return false;
}

/* Read one key and its value; false at the end or on a syntax error. */
static bool
config_yaml_pair(struct config_yaml *y, const char *prefix, char ***keys,
    int **lines, size_t *n, bool *ok)
{
	yaml_event_t kev, vev;
	char *path;
	int line;

	if (!(*ok = config_yaml_next(y, &kev)) ||
	    kev.type == YAML_MAPPING_END_EVENT) {
		if (*ok)
			yaml_event_delete(&kev);
		return false;
	}
	line = config_yaml_line(&kev);
	if (kev.type != YAML_SCALAR_EVENT) {
		diag_error(y->d, y->file, line, "keys must be plain names");
		*ok = (kev.type != YAML_SEQUENCE_START_EVENT &&
		    kev.type != YAML_MAPPING_START_EVENT) || config_yaml_skip(y);
		yaml_event_delete(&kev);
		if (*ok && (*ok = config_yaml_next(y, &vev)))
			*ok = config_yaml_node(y, &vev, NULL, line);
		return *ok;
	}
	if (*prefix == '\0')
		path = xstrdup((char *)kev.data.scalar.value);
	else
		xasprintf(&path, "%s.%s", prefix, kev.data.scalar.value);
	config_yaml_check_anchor(y, &kev);
	if (config_yaml_duplicate(y, *keys, *lines, *n,
	    (char *)kev.data.scalar.value, line)) {
		free(path);
		path = NULL;
	} else {
		*keys = xreallocarray(*keys, *n + 1, sizeof **keys);
		*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
		(*keys)[*n] = xstrdup((char *)kev.data.scalar.value);
		(*lines)[(*n)++] = line;
	}
	yaml_event_delete(&kev);
	if ((*ok = config_yaml_next(y, &vev)))
		*ok = config_yaml_node(y, &vev, path, line);
	free(path);
	return *ok;
}

/* Walk a mapping whose start was read; every key extends the path. */
static bool
config_yaml_mapping(struct config_yaml *y, const char *prefix)
{
	char **keys = NULL;
	int *lines = NULL;
	size_t n = 0, i;
	bool ok = true;

	while (config_yaml_pair(y, prefix, &keys, &lines, &n, &ok))
		;
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(lines);
	return ok;
}

/*
 * Handle a node whose first event is ev (deleted here). A NULL path
 * means the node is only skipped; line is its key's.
 */
static bool
config_yaml_node(struct config_yaml *y, yaml_event_t *ev, const char *path,
    int line)
{
	struct config_value v;
	bool ok = true;

	if (path != NULL)
		config_yaml_check_anchor(y, ev);
	if (ev->type == YAML_SCALAR_EVENT && path != NULL) {
		config_yaml_scalar(y, ev, &v, line);
		config_yaml_give(y, path, &v);
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		ok = path != NULL ? config_yaml_sequence(y, path, line) :
		    config_yaml_skip(y);
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		memset(&v, 0, sizeof v);
		v.kind = CONFIG_VALUE_GROUP;
		v.file = y->file;
		v.line = line;
		if (path != NULL && config_yaml_give(y, path, &v))
			ok = config_yaml_mapping(y, path);
		else
			ok = config_yaml_skip(y);
	}
	yaml_event_delete(ev);
	return ok;
}

/* Read the one document: a mapping of options, or nothing at all. */
static bool
config_yaml_document(struct config_yaml *y)
{
	yaml_event_t ev;
	bool ok;

	if (!config_yaml_next(y, &ev))
		return false;
	if (ev.type == YAML_MAPPING_START_EVENT) {
		config_yaml_check_anchor(y, &ev);
		yaml_event_delete(&ev);
		ok = config_yaml_mapping(y, "");
	} else if (ev.type == YAML_SCALAR_EVENT &&
	    *ev.data.scalar.value == '\0') {
		yaml_event_delete(&ev);
		ok = true;
	} else {
		diag_error(y->d, y->file, config_yaml_line(&ev), "the top "
		    "level must be a mapping of options (key: value)");
		yaml_event_delete(&ev);
		return false;
	}
	if (ok && (ok = config_yaml_next(y, &ev)))	/* document end */
		yaml_event_delete(&ev);
	return ok;
}

/* Read the stream: at most one document. */
static bool
config_yaml_stream(struct config_yaml *y)
{
	yaml_event_t ev;
	bool ok = true;
	int ndocs = 0;

	while (ok && config_yaml_next(y, &ev)) {
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return true;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && ndocs++ > 0) {
			diag_error(y->d, y->file, config_yaml_line(&ev), "a "
			    "second document: put the whole configuration in "
			    "one document");
			ok = false;
		} else if (ev.type == YAML_DOCUMENT_START_EVENT)
			ok = config_yaml_document(y);
		yaml_event_delete(&ev);
	}
	return false;
}

/* Parse YAML from fp, or from text when fp is NULL (errors name path);
   false on a syntax error (recorded in d). */
static bool
config_yaml_parse_from(const struct config_loader *ld, const char *path,
    FILE *fp, const char *text, struct diag *d)
{
	struct config_yaml y;
	bool ok;

	y.ld = ld;
	y.d = d;
	y.file = path;
	yaml_parser_initialize(&y.parser);
	if (fp != NULL)
		yaml_parser_set_input_file(&y.parser, fp);
	else
		yaml_parser_set_input_string(&y.parser,
		    (const unsigned char *)text, strlen(text));
	ok = config_yaml_stream(&y);
	yaml_parser_delete(&y.parser);
	return ok;
}

/* Parse a YAML file; false on a syntax error (recorded in d). */
static bool
config_yaml_parse(const struct config_loader *ld, const char *path,
    struct diag *d)
{
	FILE *fp;
	bool ok;

	if ((fp = fopen(path, "r")) == NULL) {
		diag_error(d, path, 0, "cannot open: %s", strerror(errno));
		return false;
	}
	ok = config_yaml_parse_from(ld, path, fp, NULL, d);
	fclose(fp);
	return ok;
}

/* Parse YAML held in memory (errors name name); false on a syntax
   error (recorded in d). */
static bool
config_yaml_parse_text(const struct config_loader *ld, const char *name,
    const char *text, struct diag *d)
{
	return config_yaml_parse_from(ld, name, NULL, text, d);
}

/* The YAML front-end: files and text in memory (the demo's). */
const struct config_syntax config_yaml_syntax = {
	.name = "YAML",
	.parse = config_yaml_parse,
	.parse_text = config_yaml_parse_text,
};
