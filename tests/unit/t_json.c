/*
 * t_json.c: the JSON parser on valid and invalid input: nesting, escapes,
 * numbers, truncation and garbage never crash it.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "../tap.h"

/* Parse a NUL-terminated string. */
static struct json *
parse(const char *s)
{
	return json_parse(s, strlen(s), NULL, 0);
}

/* True when s is rejected. */
static bool
rejects(const char *s)
{
	struct json *v = parse(s);

	json_free(v);
	return v == NULL;
}

/* The decoded string value of s, or NULL; *len gets its length. */
static char *
string_of(const char *s, size_t *len)
{
	struct json *v = parse(s);
	char *out = NULL;

	if (v != NULL && v->type == JSON_STRING) {
		out = malloc(v->len + 1);
		memcpy(out, v->str, v->len + 1);
		*len = v->len;
	}
	json_free(v);
	return out;
}

/* Objects, arrays, literals and lookup by key. */
static void
test_values(void)
{
	const char *doc = " {\"ts\":\"2026-11-21T08:48:00.123Z\",\"n\":-1,"
	    "\"ok\":true,\"no\":false,\"nil\":null,\"list\":[1,[2,{}],[]],"
	    "\"dup\":1,\"dup\":2} ";
	const struct json *list;
	struct json *v = parse(doc);
	int64_t n = 0;

	ok(v != NULL && v->type == JSON_OBJECT && v->len == 8,
	    "an event-like object parses with all 8 members");
	is_str(json_get_str(v, "ts"), "2026-11-21T08:48:00.123Z",
	    "a string member is found by key");
	ok(json_get_int(v, "n", &n) && n == -1,
	    "a negative integer member reads as -1");
	ok(json_get(v, "ok")->boolean && !json_get(v, "no")->boolean,
	    "true and false are booleans with the right value");
	ok(json_get(v, "nil")->type == JSON_NULL, "null is null");
	list = json_get(v, "list");
	ok(list->type == JSON_ARRAY && list->len == 3 &&
	    list->items[1]->items[1]->type == JSON_OBJECT &&
	    list->items[2]->len == 0, "nested arrays and objects keep shape");
	ok(json_get_int(v, "dup", &n) && n == 1,
	    "a duplicated key finds its first value");
	ok(json_get(v, "missing") == NULL && json_get_str(v, "n") == NULL &&
	    !json_get_int(v, "ts", &n),
	    "lookups of absent or mistyped members fail");
	ok(json_get(list, "x") == NULL, "lookup in an array finds nothing");
	json_free(v);
}

/* String escapes, \u escapes and surrogate pairs, UTF-8 checks. */
static void
test_strings(void)
{
	size_t len = 0;
	char *s;

	s = string_of("\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t\"", &len);
	is_str(s, "q\"b\\s/b\bf\fn\nr\rt\t", "every short escape decodes");
	free(s);
	s = string_of("\"caf\\u00e9 \\u20AC\"", &len);
	is_str(s, "caf\xc3\xa9 \xe2\x82\xac",
	    "\\u00e9 and \\u20AC become 2- and 3-byte UTF-8");
	free(s);
	s = string_of("\"\\ud83d\\ude00\"", &len);
	is_str(s, "\xf0\x9f\x98\x80",
	    "a surrogate pair becomes one 4-byte code point");
	free(s);
	s = string_of("\"a\\u0000b\"", &len);
	ok(s != NULL && len == 3 && s[1] == '\0',
	    "\\u0000 keeps its NUL and the length counts it");
	free(s);
	s = string_of("\"h\xc3\xa9\"", &len);
	is_str(s, "h\xc3\xa9", "raw UTF-8 passes through");
	free(s);
	ok(rejects("\"\\ud83d\""), "a lone high surrogate is rejected");
	ok(rejects("\"\\ude00\""), "a lone low surrogate is rejected");
	ok(rejects("\"\\ud83d\\u0041\""),
	    "a high surrogate followed by a non-surrogate is rejected");
	ok(rejects("\"\\u12\""), "a short \\u escape is rejected");
	ok(rejects("\"\\x41\""), "an unknown escape is rejected");
	ok(rejects("\"tab\there\""), "a raw control character is rejected");
	ok(rejects("\"\xff\""), "a byte that is no UTF-8 is rejected");
	ok(rejects("\"\xc0\xaf\""), "overlong UTF-8 is rejected");
	ok(json_parse("\"a\0b\"", 5, NULL, 0) == NULL,
	    "a raw NUL inside a string is rejected");
}

/* Number grammar and integer range. */
static void
test_numbers(void)
{
	static const char *const bad[] = { "01", "1.", ".5", "+1", "-", "1e",
	    "1e+", "0x10", "NaN", "Infinity", "1.2.3", "--1" };
	struct json *v;
	size_t i;

	v = parse("[0,-0,123,-17,1.5,1e3,-2.5E-2,9223372036854775807,"
	    "9223372036854775808]");
	ok(v != NULL && v->len == 9, "nine valid numbers parse");
	ok(v->items[2]->integral && v->items[2]->integer == 123 &&
	    v->items[3]->integer == -17, "integers keep their exact value");
	ok(!v->items[4]->integral && v->items[4]->number == 1.5 &&
	    v->items[5]->number == 1000 && v->items[6]->number == -0.025,
	    "fractions and exponents are doubles, not integers");
	ok(v->items[7]->integral && v->items[7]->integer == INT64_MAX,
	    "INT64_MAX is still an integer");
	ok(!v->items[8]->integral && v->items[8]->number > 9.2e18,
	    "beyond INT64_MAX a number is kept only as a double");
	json_free(v);
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(rejects(bad[i]), "the malformed number '%s' is rejected",
		    bad[i]);
}

/* Truncated input, garbage, depth limit, error messages. */
static void
test_invalid(void)
{
	static const char *const bad[] = { "", "   ", "{\"a\":1", "{\"a\":",
	    "{\"a\"", "{", "[1,2", "\"abc", "{a:1}", "{\"a\" 1}", "[1,]",
	    "{\"a\":1,}", "{\"a\":1}}", "{\"a\":1} x", "tru", "nulls",
	    "[1 2]", "{,}", "[,1]", "'a'", "{\"a\":1 \"b\":2}", "\xef\xbb\xbf{}",
	    "// c\n{}" };
	char deep[200], err[100];
	struct json *v;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(rejects(bad[i]), "bad input #%zu is rejected", i + 1);
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	v = json_parse(deep, 128, NULL, 0);
	ok(v != NULL, "64 nested arrays are accepted");
	json_free(v);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	ok(json_parse(deep, 130, err, sizeof err) == NULL,
	    "65 nested arrays are rejected");
	like(err, "nested too deeply", "the error says the nesting is too deep");
	ok(json_parse("{\"a\":tx}", 8, err, sizeof err) == NULL,
	    "a bad literal is rejected");
	like(err, "offset 5", "the error message gives the byte offset");
}

/* Every prefix and many random mutations of a document: no crash. */
static void
test_fuzz(void)
{
	const char *doc = "{\"ts\":\"2026-11-21T08:48:00.123Z\",\"event\":"
	    "\"assign\",\"partitions\":[{\"topic\":\"orders\",\"partition\":3,"
	    "\"offset\":-1}],\"s\":\"\\ud83d\\ude00\\n\",\"x\":[1.5e3,null]}";
	size_t len = strlen(doc), i, accepted = 0;
	unsigned int seed = 12345;
	char buf[256];
	struct json *v;
	int round;

	for (i = 0; i < len; i++) {
		v = json_parse(doc, i, NULL, 0);
		accepted += v != NULL;
		json_free(v);
	}
	ok(accepted == 0, "none of the %zu truncations of an event parses",
	    len);
	for (round = 0; round < 20000; round++) {
		memcpy(buf, doc, len);
		for (i = 0; i < 3; i++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % len] = (char)(seed >> 16);
		}
		json_free(json_parse(buf, len, NULL, 0));
	}
	ok(true, "20000 randomly corrupted events parse or fail cleanly");
}

/* Run every group of parser assertions. */
int
main(void)
{
	test_values();
	test_strings();
	test_numbers();
	test_invalid();
	test_fuzz();
	return tap_done();
}
