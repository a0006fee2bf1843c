/*
 * t_buf.c: growable buffers, JSON string escaping, base64, UTF-8 checks.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

/* JSON-escape len bytes of s and return the result (static storage). */
static const char *
json_of(const char *s, size_t len)
{
	static struct buf b;

	buf_reset(&b);
	buf_json_string(&b, s, len);
	return buf_str(&b);
}

/* base64 of len bytes of s (static storage). */
static const char *
b64_of(const char *s, size_t len)
{
	static struct buf b;

	buf_reset(&b);
	buf_base64(&b, s, len);
	return buf_str(&b);
}

int
main(void)
{
	struct buf b;
	char big[5000];
	char *stolen;

	buf_init(&b);
	is_str(buf_str(&b), "", "an empty buffer reads as the empty string");
	buf_adds(&b, "abc");
	buf_addc(&b, '-');
	buf_printf(&b, "%d:%s", 42, "x");
	is_str(buf_str(&b), "abc-42:x", "adds, addc and printf append in order");
	is_int(b.len, 8, "length counts every appended byte");
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_adds(&b, big);
	is_int(b.len, 8 + 4999, "a large append grows the buffer");
	ok(b.data[b.len] == '\0', "the contents stay NUL-terminated");
	buf_reset(&b);
	is_str(buf_str(&b), "", "reset empties the buffer");
	buf_adds(&b, "keep");
	stolen = buf_steal(&b);
	is_str(stolen, "keep", "steal hands over the contents");
	ok(b.data == NULL && b.len == 0, "steal leaves the buffer empty");
	free(stolen);

	is_str(json_of("plain", 5), "\"plain\"", "plain text is quoted");
	is_str(json_of("a\"b\\c", 5), "\"a\\\"b\\\\c\"",
	    "quotes and backslashes are escaped");
	is_str(json_of("\n\r\t\x01\x7f", 5), "\"\\n\\r\\t\\u0001\\u007f\"",
	    "control characters are escaped");
	is_str(json_of("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	    "valid 2-, 3- and 4-byte UTF-8 is kept as is");
	is_str(json_of("a\xff" "b", 3), "\"a\\ufffdb\"",
	    "an invalid byte becomes U+FFFD");
	is_str(json_of("a\0b", 3), "\"a\\u0000b\"",
	    "an embedded NUL is escaped, not a terminator");
	buf_reset(&b);
	buf_json_cstr(&b, NULL);
	is_str(buf_str(&b), "null", "a NULL string is JSON null");

	is_str(b64_of("", 0), "", "base64 of nothing is empty");
	is_str(b64_of("f", 1), "Zg==", "base64 of 1 byte has two pads");
	is_str(b64_of("fo", 2), "Zm8=", "base64 of 2 bytes has one pad");
	is_str(b64_of("foo", 3), "Zm9v", "base64 of 3 bytes has no pad");
	is_str(b64_of("foob", 4), "Zm9vYg==", "base64 of 4 bytes");
	is_str(b64_of("\xff\xfe\x00", 3), "//4A",
	    "base64 uses + and / for high values");

	ok(utf8_valid("", 0), "the empty string is valid UTF-8");
	ok(utf8_valid("\xc3\xa9", 2), "a 2-byte sequence is valid");
	ok(!utf8_valid("\xc0\xaf", 2), "an overlong sequence is invalid");
	ok(!utf8_valid("\xed\xa0\x80", 3), "a UTF-16 surrogate is invalid");
	ok(!utf8_valid("\xe2\x82", 2), "a truncated sequence is invalid");
	ok(!utf8_valid("\xf4\x90\x80\x80", 4), "a code point above U+10FFFF is invalid");
	ok(utf8_valid("\xf0\x9f\x98\x80", 4), "a 4-byte emoji is valid");

	buf_free(&b);
	return tap_done();
}
