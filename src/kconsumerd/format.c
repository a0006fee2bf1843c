/*
 * format.c: turn one record into one line of output, as a JSON object or
 * through a kcat-style text template (sink.format).
 *
 * Any thread: consumer threads format before taking the sink's lock. The
 * functions touch only the buffer they are given and read the
 * configuration.
 */
#include "autoconf.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "sink.h"

#define FORMAT_DEFAULT_TEMPLATE "%t %p %o %k %s"

/*
 * Append "name":value for bytes that may be null or binary: null, a JSON
 * string when they are UTF-8, else "name_b64" with their base64.
 */
static void
format_json_bytes(struct buf *out, const char *name, const void *data,
    size_t len)
{
	size_t start = out->len;

	buf_addc(out, '"');
	buf_adds(out, name);
	if (data == NULL) {
		buf_addlit(out, "\":null");
		return;
	}
	buf_addlit(out, "\":");
	if (buf_json_utf8(out, data, len))
		return;
	out->len = start + 1 + strlen(name);
	buf_addlit(out, "_b64\":\"");
	buf_base64(out, data, len);
	buf_addc(out, '"');
}

/* Append the "headers" array of a record that has headers. */
static void
format_json_headers(struct buf *out, const struct sink_record *rec)
{
	const struct sink_header *h;
	size_t i;

	buf_adds(out, ",\"headers\":[");
	for (i = 0; i < rec->nheaders; i++) {
		h = &rec->headers[i];
		if (i > 0)
			buf_addc(out, ',');
		buf_addc(out, '{');
		/* a name that is not UTF-8 is base64 ("name_b64"), as values
		   are, instead of turning into U+FFFD */
		format_json_bytes(out, "name", h->name, strlen(h->name));
		buf_addc(out, ',');
		format_json_bytes(out, "value", h->value, h->len);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

/* Append a record as one JSON object and a newline. */
static void
format_json(struct buf *out, const struct sink_record *rec)
{
	buf_addlit(out, "{\"topic\":");
	buf_json_cstr(out, rec->topic);
	buf_addlit(out, ",\"partition\":");
	buf_add_int(out, rec->partition);
	buf_addlit(out, ",\"offset\":");
	buf_add_int(out, rec->offset);
	buf_addlit(out, ",\"timestamp\":");
	buf_add_int(out, rec->timestamp);
	buf_addc(out, ',');
	format_json_bytes(out, "key", rec->key, rec->key_len);
	buf_addc(out, ',');
	format_json_bytes(out, "value", rec->value, rec->value_len);
	if (rec->nheaders > 0)
		format_json_headers(out, rec);
	buf_addlit(out, "}\n");
}

/* Append the headers as kcat's %h does: name=value,... (NULL for a null
   value). */
static void
format_text_headers(struct buf *out, const struct sink_record *rec)
{
	const struct sink_header *h;
	size_t i;

	for (i = 0; i < rec->nheaders; i++) {
		h = &rec->headers[i];
		if (i > 0)
			buf_addc(out, ',');
		buf_adds(out, h->name);
		buf_addc(out, '=');
		if (h->value == NULL)
			buf_adds(out, "NULL");
		else
			buf_add(out, h->value, h->len);
	}
}

/* Append the expansion of the %-directive c; unknown ones literally. */
static void
format_text_directive(struct buf *out, char c, const struct sink_record *rec)
{
	switch (c) {
	case 't':
		if (rec->topic != NULL)
			buf_adds(out, rec->topic);
		break;
	case 'p':
		buf_add_int(out, rec->partition);
		break;
	case 'o':
		buf_add_int(out, rec->offset);
		break;
	case 'T':
		buf_add_int(out, rec->timestamp);
		break;
	case 'k':
		if (rec->key != NULL)
			buf_add(out, rec->key, rec->key_len);
		break;
	case 's':
		if (rec->value != NULL)
			buf_add(out, rec->value, rec->value_len);
		break;
	case 'K':
		buf_add_int(out, rec->key != NULL ? (int64_t)rec->key_len : 0);
		break;
	case 'S':
		buf_add_int(out, rec->value != NULL ? (int64_t)rec->value_len :
		    0);
		break;
	case 'h':
		format_text_headers(out, rec);
		break;
	case '%':
		buf_addc(out, '%');
		break;
	default:
		buf_addc(out, '%');
		buf_addc(out, c);
		break;
	}
}

/*
 * Append a record through a text template, then a newline unless the
 * template itself ends with one (a newline character or "\n").
 */
static void
format_text(struct buf *out, const char *tmpl, const struct sink_record *rec)
{
	const char *p;
	bool newline = false;

	for (p = tmpl; *p != '\0'; p++) {
		newline = false;
		if (*p == '%' && p[1] != '\0')
			format_text_directive(out, *++p, rec);
		else if (*p == '\\' && p[1] != '\0') {
			switch (*++p) {
			case 'n':
				buf_addc(out, '\n');
				newline = true;
				break;
			case 't':
				buf_addc(out, '\t');
				break;
			case '\\':
				buf_addc(out, '\\');
				break;
			default:
				buf_addc(out, '\\');
				buf_addc(out, *p);
				break;
			}
		} else {
			buf_addc(out, *p);
			newline = *p == '\n';
		}
	}
	if (!newline)
		buf_addc(out, '\n');
}

/* Format one record as a line (with its newline) per the configuration. */
void
format_record(struct buf *out, const struct config *cfg,
    const struct sink_record *rec)
{
	const char *tmpl;

	if (cfg->sink.format == CONFIG_SINK_FORMAT_TEXT) {
		tmpl = cfg->sink.template;
		if (tmpl == NULL)
			tmpl = FORMAT_DEFAULT_TEMPLATE;
		format_text(out, tmpl, rec);
	} else
		format_json(out, rec);
}
