/*
 * buf.c: growable byte buffers, JSON string escaping, base64, UTF-8 checks.
 *
 * Any thread; no shared state.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xmalloc.h"

/* Start an empty buffer. */
void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

/* Release a buffer's memory and leave it empty. */
void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Empty a buffer, keeping its memory. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for len more bytes and the terminating NUL. */
static void
buf_grow(struct buf *b, size_t len)
{
	size_t need = b->len + len + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

/* Append len bytes. */
void
buf_add(struct buf *b, const void *data, size_t len)
{
	buf_grow(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Append one byte. */
void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/* Append a NUL-terminated string. */
void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append formatted text. */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The contents as a string ("" when empty). */
const char *
buf_str(struct buf *b)
{
	if (b->data == NULL)
		buf_grow(b, 0), b->data[0] = '\0';
	return b->data;
}

/* Hand the contents to the caller, who frees them; the buffer is emptied. */
char *
buf_steal(struct buf *b)
{
	char *s;

	buf_str(b);
	s = b->data;
	buf_init(b);
	return s;
}

/*
 * Length of the well-formed UTF-8 sequence at s (at most len bytes), or 0
 * when the bytes there are not one.
 */
static size_t
utf8_seqlen(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* True when data is well-formed UTF-8. */
bool
utf8_valid(const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_seqlen(s + i, len - i)) == 0)
			return false;
		i += n;
	}
	return true;
}

/* Append s as a quoted JSON string. */
void
buf_json_string(struct buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	buf_addc(b, '"');
	while (i < len) {
		unsigned char c = u[i];

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04x", c);
		else if (c < 0x80)
			buf_addc(b, (char)c);
		else if ((n = utf8_seqlen(u + i, len - i)) > 0) {
			buf_add(b, u + i, n);
			i += n;
			continue;
		} else
			buf_adds(b, "\\ufffd");
		i++;
	}
	buf_addc(b, '"');
}

/* Append a C string as JSON, or null. */
void
buf_json_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_adds(b, "null");
	else
		buf_json_string(b, s, strlen(s));
}

/* Append data in standard base64 with padding. */
void
buf_base64(struct buf *b, const void *data, size_t len)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
		    p[i + 2];
		buf_addc(b, alphabet[v >> 18 & 63]);
		buf_addc(b, alphabet[v >> 12 & 63]);
		buf_addc(b, alphabet[v >> 6 & 63]);
		buf_addc(b, alphabet[v & 63]);
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		buf_addc(b, alphabet[v >> 18 & 63]);
		buf_addc(b, alphabet[v >> 12 & 63]);
		buf_addc(b, i + 1 < len ? alphabet[v >> 6 & 63] : '=');
		buf_addc(b, '=');
	}
}
