/*
 * buf.h: growable byte buffers and the encoders that write into them
 * (JSON strings, base64).
 *
 * Any thread; a buffer belongs to whoever declared it.
 */
#ifndef KCONSUMERD_BUF_H
#define KCONSUMERD_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;	/* always NUL-terminated once anything was added */
	size_t	 len;
	size_t	 cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
/* Append a string literal (its length known at compile time). */
#define buf_addlit(b, lit) buf_add((b), (lit), sizeof(lit) - 1)
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *buf_str(struct buf *b);
char *buf_steal(struct buf *b);

/* JSON string with quotes; invalid UTF-8 bytes become U+FFFD. */
void buf_json_string(struct buf *b, const char *s, size_t len);
/* JSON string when s is well-formed UTF-8; false, nothing appended, when
   it is not. */
bool buf_json_utf8(struct buf *b, const char *s, size_t len);
/* Decimal integer. */
void buf_add_int(struct buf *b, int64_t v);
/* JSON string of a NUL-terminated string, or null when s is NULL. */
void buf_json_cstr(struct buf *b, const char *s);
/* Standard base64 (RFC 4648) with padding, no quotes. */
void buf_base64(struct buf *b, const void *data, size_t len);
/* True when data is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const void *data, size_t len);

#endif
