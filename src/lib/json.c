/*
 * json.c: a recursive-descent JSON parser building a small DOM.
 *
 * Strict RFC 8259: no comments, no trailing commas, no leading zeros, no
 * raw control characters in strings, strings must be UTF-8 and \u escapes
 * must pair surrogates. Nesting is bounded by JSON_MAX_DEPTH so hostile
 * input cannot exhaust the stack.
 *
 * Any thread; no shared state.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "xmalloc.h"

struct json_parser {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	char		*err;
	size_t		 errlen;
	bool		 failed;
};

static struct json *json_parse_value(struct json_parser *, int);

/* Record the first error with its byte offset. */
static void
json_fail(struct json_parser *p, const char *msg)
{
	if (p->failed)
		return;
	p->failed = true;
	if (p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "offset %zu: %s", p->pos, msg);
}

/* Skip white space as JSON defines it. */
static void
json_skip_ws(struct json_parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' ||
	    p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	    p->s[p->pos] == '\r'))
		p->pos++;
}

/* Allocate a value of the given type. */
static struct json *
json_new(enum json_type type)
{
	struct json *v = xcalloc(1, sizeof *v);

	v->type = type;
	return v;
}

/* Free a value and everything under it. */
void
json_free(struct json *v)
{
	size_t i;

	if (v == NULL)
		return;
	if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
		for (i = 0; i < v->len; i++) {
			json_free(v->items[i]);
			if (v->keys != NULL)
				free(v->keys[i]);
		}
		free(v->items);
		free(v->keys);
	}
	free(v->str);
	free(v);
}

/* Match a literal word such as true; false when it is not there. */
static bool
json_match(struct json_parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return false;
	p->pos += n;
	return true;
}

/* Read four hex digits of a \u escape; -1 when they are not there. */
static long
json_hex4(struct json_parser *p)
{
	long v = 0;
	int i;
	char c;

	if (p->len - p->pos < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = p->s[p->pos + i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	p->pos += 4;
	return v;
}

/* Append code point cp as UTF-8. */
static void
json_add_utf8(struct buf *b, long cp)
{
	if (cp < 0x80)
		buf_addc(b, (char)cp);
	else if (cp < 0x800) {
		buf_addc(b, (char)(0xc0 | (cp >> 6)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(b, (char)(0xe0 | (cp >> 12)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | (cp >> 18)));
		buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Decode a \u escape (the backslash and u already read), pairing halves. */
static bool
json_parse_uescape(struct json_parser *p, struct buf *b)
{
	long hi, lo;

	if ((hi = json_hex4(p)) < 0) {
		json_fail(p, "\\u wants four hex digits");
		return false;
	}
	if (hi >= 0xdc00 && hi <= 0xdfff) {
		json_fail(p, "lone low surrogate in \\u escape");
		return false;
	}
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (!json_match(p, "\\u") || (lo = json_hex4(p)) < 0 ||
		    lo < 0xdc00 || lo > 0xdfff) {
			json_fail(p, "high surrogate without its low half");
			return false;
		}
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	json_add_utf8(b, hi);
	return true;
}

/* Parse a string (at its opening quote) into a fresh buffer. */
static bool
json_parse_string_buf(struct json_parser *p, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *q;
	unsigned char c;

	buf_init(b);
	buf_add(b, "", 0);
	p->pos++;
	for (;;) {
		if (p->pos >= p->len) {
			json_fail(p, "unterminated string");
			return false;
		}
		c = (unsigned char)p->s[p->pos++];
		if (c == '"')
			break;
		if (c < 0x20) {
			json_fail(p, "control character in string");
			return false;
		}
		if (c != '\\') {
			buf_addc(b, (char)c);
			continue;
		}
		if (p->pos >= p->len) {
			json_fail(p, "unterminated escape");
			return false;
		}
		c = (unsigned char)p->s[p->pos++];
		if (c == 'u') {
			if (!json_parse_uescape(p, b))
				return false;
		} else if (c != '\0' && (q = strchr(from, c)) != NULL)
			buf_addc(b, to[q - from]);
		else {
			json_fail(p, "unknown escape");
			return false;
		}
	}
	if (!utf8_valid(b->data, b->len)) {
		json_fail(p, "string is not valid UTF-8");
		return false;
	}
	return true;
}

/* Parse a string value. */
static struct json *
json_parse_string(struct json_parser *p)
{
	struct json *v;
	struct buf b;

	if (!json_parse_string_buf(p, &b)) {
		buf_free(&b);
		return NULL;
	}
	v = json_new(JSON_STRING);
	v->len = b.len;
	v->str = buf_steal(&b);
	return v;
}

/* Skip a run of digits; return how many there were. */
static size_t
json_digits(struct json_parser *p)
{
	size_t start = p->pos;

	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	return p->pos - start;
}

/* Parse a number, checking the grammar before handing it to strtod. */
static struct json *
json_parse_number(struct json_parser *p)
{
	size_t start = p->pos;
	bool integral = true;
	struct json *v;
	char *copy;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '0')
		p->pos++;
	else if (json_digits(p) == 0)
		goto bad;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		integral = false;
		if (json_digits(p) == 0)
			goto bad;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		integral = false;
		if (p->pos < p->len && (p->s[p->pos] == '+' ||
		    p->s[p->pos] == '-'))
			p->pos++;
		if (json_digits(p) == 0)
			goto bad;
	}
	copy = xstrndup(p->s + start, p->pos - start);
	v = json_new(JSON_NUMBER);
	v->number = strtod(copy, NULL);
	if (integral) {
		errno = 0;
		v->integer = strtoll(copy, NULL, 10);
		v->integral = errno == 0;
	}
	free(copy);
	return v;
bad:
	json_fail(p, "malformed number");
	return NULL;
}

/* Append item (and key) to an array or object. */
static void
json_append(struct json *v, char *key, struct json *item)
{
	v->items = xreallocarray(v->items, v->len + 1, sizeof *v->items);
	if (v->type == JSON_OBJECT) {
		v->keys = xreallocarray(v->keys, v->len + 1, sizeof *v->keys);
		v->keys[v->len] = key;
	}
	v->items[v->len++] = item;
}

/* Parse an array or object (at its opening bracket). */
static struct json *
json_parse_container(struct json_parser *p, int depth)
{
	bool object = p->s[p->pos] == '{';
	char close = object ? '}' : ']';
	struct json *v, *item;
	struct buf key;
	char *k = NULL;

	if (depth >= JSON_MAX_DEPTH) {
		json_fail(p, "nested too deeply");
		return NULL;
	}
	v = json_new(object ? JSON_OBJECT : JSON_ARRAY);
	p->pos++;
	json_skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return v;
	}
	for (;;) {
		json_skip_ws(p);
		if (object) {
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				json_fail(p, "expected a string key");
				goto bad;
			}
			if (!json_parse_string_buf(p, &key)) {
				buf_free(&key);
				goto bad;
			}
			k = buf_steal(&key);
			json_skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				json_fail(p, "expected ':'");
				goto bad;
			}
			p->pos++;
		}
		if ((item = json_parse_value(p, depth + 1)) == NULL)
			goto bad;
		json_append(v, k, item);
		k = NULL;
		json_skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			return v;
		}
		json_fail(p, object ? "expected ',' or '}'" :
		    "expected ',' or ']'");
		goto bad;
	}
bad:
	free(k);
	json_free(v);
	return NULL;
}

/* Parse any value at the current position. */
static struct json *
json_parse_value(struct json_parser *p, int depth)
{
	struct json *v;
	char c;

	json_skip_ws(p);
	if (p->pos >= p->len) {
		json_fail(p, "unexpected end of input");
		return NULL;
	}
	c = p->s[p->pos];
	if (c == '{' || c == '[')
		return json_parse_container(p, depth);
	if (c == '"')
		return json_parse_string(p);
	if (c == '-' || (c >= '0' && c <= '9'))
		return json_parse_number(p);
	if (json_match(p, "null"))
		return json_new(JSON_NULL);
	if (json_match(p, "true")) {
		v = json_new(JSON_BOOL);
		v->boolean = true;
		return v;
	}
	if (json_match(p, "false"))
		return json_new(JSON_BOOL);
	json_fail(p, "unexpected character");
	return NULL;
}

/* Parse text[0..len) as exactly one JSON value. */
struct json *
json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct json_parser p = { text, len, 0, err, errlen, false };
	struct json *v;

	if (err != NULL && errlen > 0)
		*err = '\0';
	if ((v = json_parse_value(&p, 0)) == NULL)
		return NULL;
	json_skip_ws(&p);
	if (p.pos != p.len) {
		json_fail(&p, "trailing characters after the value");
		json_free(v);
		return NULL;
	}
	return v;
}

/* The first member of obj named key, or NULL. */
const struct json *
json_get(const struct json *obj, const char *key)
{
	size_t i;

	if (obj == NULL || obj->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->len; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

/* The string member key of obj, or NULL. */
const char *
json_get_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v != NULL && v->type == JSON_STRING ? v->str : NULL;
}

/* Set *out to the integer member key of obj; false when there is none. */
bool
json_get_int(const struct json *obj, const char *key, int64_t *out)
{
	const struct json *v = json_get(obj, key);

	if (v == NULL || v->type != JSON_NUMBER || !v->integral)
		return false;
	*out = v->integer;
	return true;
}
