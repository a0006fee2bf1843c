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
static inline void
buf_grow(struct buf *b, size_t len)
{
	size_t need = b->len + len + 1;

	if (__builtin_expect(need <= b->cap, 1))
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
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
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

/* Bytes a JSON string holds as they are: printable ASCII but '"', '\\'. */
static const unsigned char buf_json_plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};

/* True when none of the 8 bytes of w needs a look: each is printable
   ASCII other than '"' and '\\' (SWAR: a zero byte of x ^ c marks c). */
static inline bool
buf_json_plain8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
	uint64_t del = w ^ (ones * 0x7f);

	return (((w - ones * 0x20) | (q - ones) | (bs - ones) | (del - ones) |
	    w) & highs) == 0;
}

/*
 * Append s as a quoted JSON string, copying runs of plain bytes at once.
 * A byte that is not well-formed UTF-8 becomes U+FFFD, or, when strict,
 * makes it return false with the buffer as it was.
 */
static bool
buf_json_escape(struct buf *b, const char *s, size_t len, bool strict)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, n, start = b->len;
	unsigned char c;
	char esc[6];

	buf_grow(b, len + 2);
	b->data[b->len++] = '"';
	while (i < len) {
		for (run = i; run + 8 <= len; run += 8) {
			uint64_t w;

			memcpy(&w, u + run, 8);
			if (!buf_json_plain8(w))
				break;
		}
		while (run < len && buf_json_plain[u[run]])
			run++;
		if (run > i) {
			buf_add(b, u + i, run - i);
			i = run;
			if (i == len)
				break;
		}
		c = u[i];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			buf_add(b, esc, 2);
		} else if (c == '\n')
			buf_add(b, "\\n", 2);
		else if (c == '\r')
			buf_add(b, "\\r", 2);
		else if (c == '\t')
			buf_add(b, "\\t", 2);
		else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_add(b, esc, 6);
		} else if ((n = utf8_seqlen(u + i, len - i)) > 0) {
			buf_add(b, u + i, n);
			i += n;
			continue;
		} else if (strict) {
			b->len = start;
			b->data[b->len] = '\0';
			return false;
		} else
			buf_add(b, "\\ufffd", 6);
		i++;
	}
	buf_addc(b, '"');
	return true;
}

/* Append s as a quoted JSON string. */
void
buf_json_string(struct buf *b, const char *s, size_t len)
{
	buf_json_escape(b, s, len, false);
}

/* Append s as a quoted JSON string when it is well-formed UTF-8; false,
   with nothing appended, when it is not. */
bool
buf_json_utf8(struct buf *b, const char *s, size_t len)
{
	return buf_json_escape(b, s, len, true);
}

/* Append an integer in decimal, two digits a step. */
void
buf_add_int(struct buf *b, int64_t v)
{
	static const char pairs[] =
	    "00010203040506070809101112131415161718192021222324"
	    "25262728293031323334353637383940414243444546474849"
	    "50515253545556575859606162636465666768697071727374"
	    "75767778798081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	while (u >= 100) {
		p -= 2;
		memcpy(p, pairs + (u % 100) * 2, 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + u * 2, 2);
	} else
		*--p = (char)('0' + u);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
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
	char *o;
	size_t i;
	uint32_t v;

	buf_grow(b, (len + 2) / 3 * 4);
	o = b->data + b->len;
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = alphabet[v >> 6 & 63];
		*o++ = alphabet[v & 63];
	}
	if (i < len) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		*o++ = alphabet[v >> 18 & 63];
		*o++ = alphabet[v >> 12 & 63];
		*o++ = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}
