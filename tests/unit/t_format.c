/*
 * t_format.c: the record formats (sink.format json and text) produce
 * exactly the contract's bytes, and the encoders under them (base64,
 * UTF-8 validation) handle their edge cases.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "sink.h"
#include "tap.h"

/* A configuration with only the sink's format fields set. */
static struct config
config_for(int format, const char *template)
{
	struct config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.sink.format = format;
	cfg.sink.template = (char *)template;
	return cfg;
}

/* A record on topic t, partition 0, offset 5, at 1700000000000 ms. */
static struct sink_record
record(const void *key, size_t klen, const void *value, size_t vlen)
{
	struct sink_record rec;

	memset(&rec, 0, sizeof rec);
	rec.topic = "t";
	rec.partition = 0;
	rec.offset = 5;
	rec.timestamp = 1700000000000LL;
	rec.key = key;
	rec.key_len = klen;
	rec.value = value;
	rec.value_len = vlen;
	return rec;
}

/* Format rec with cfg into a new string. */
static char *
format(const struct config *cfg, const struct sink_record *rec)
{
	struct buf b;

	buf_init(&b);
	format_record(&b, cfg, rec);
	return buf_steal(&b);
}

/* Compare the formatted record against want, then free it. */
static void
format_is(const struct config *cfg, const struct sink_record *rec,
    const char *want, const char *sentence)
{
	char *got = format(cfg, rec);

	is_str(got, want, "%s", sentence);
	free(got);
}

/* JSON objects for the contract's cases. */
static void
test_json(void)
{
	struct config cfg = config_for(CONFIG_SINK_FORMAT_JSON, NULL);
	struct sink_record rec;
	struct sink_header hdrs[3];
	static const char ctl[] = "a\"b\\c\n\t\r\x01\x1f\x7f\0z";

	rec = record(NULL, 0, NULL, 0);
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":null,\"value\":null}\n",
	    "json: a null key and a null value are null");

	rec = record(NULL, 0, "hello", 5);
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":null,\"value\":\"hello\"}\n",
	    "json: the contract's example is reproduced byte for byte");

	rec = record("", 0, "", 0);
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":\"\",\"value\":\"\"}\n",
	    "json: an empty key and an empty value are \"\", not null");

	rec = record("\xff\x00\x01", 3, "\x80" "abc", 4);
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key_b64\":\"/wAB\","
	    "\"value_b64\":\"gGFiYw==\"}\n",
	    "json: a non-UTF-8 key and value become key_b64 and value_b64");

	rec = record("cl\xc3\xa9", 4, "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80",
	    15);
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":\"cl\xc3\xa9\","
	    "\"value\":\"h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80\"}\n",
	    "json: valid 2-, 3- and 4-byte UTF-8 is kept as it is");

	rec = record(NULL, 0, ctl, sizeof ctl - 1);
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":null,\"value\":"
	    "\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f\\u007f\\u0000z\"}\n",
	    "json: quotes, backslashes and control characters are escaped");

	rec = record(NULL, 0, "v", 1);
	rec.timestamp = -1;
	rec.partition = 2147483647;
	rec.offset = 9223372036854775807LL;
	rec.topic = "or\"ders";
	format_is(&cfg, &rec, "{\"topic\":\"or\\\"ders\",\"partition\":"
	    "2147483647,\"offset\":9223372036854775807,\"timestamp\":-1,"
	    "\"key\":null,\"value\":\"v\"}\n",
	    "json: timestamp -1, the largest partition and offset, an escaped "
	    "topic");

	hdrs[0].name = "h1";
	hdrs[0].value = "v\"1";
	hdrs[0].len = 3;
	hdrs[1].name = "h2";
	hdrs[1].value = NULL;
	hdrs[1].len = 0;
	hdrs[2].name = "h3";
	hdrs[2].value = "\xff";
	hdrs[2].len = 1;
	rec = record("k", 1, "v", 1);
	rec.headers = hdrs;
	rec.nheaders = 3;
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":\"k\",\"value\":\"v\","
	    "\"headers\":[{\"name\":\"h1\",\"value\":\"v\\\"1\"},"
	    "{\"name\":\"h2\",\"value\":null},"
	    "{\"name\":\"h3\",\"value_b64\":\"/w==\"}]}\n",
	    "json: headers come in order: string, null, and value_b64 for "
	    "binary");
	hdrs[0].name = "h\xffx";
	rec.nheaders = 1;
	format_is(&cfg, &rec, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":\"k\",\"value\":\"v\","
	    "\"headers\":[{\"name_b64\":\"aP94\",\"value\":\"v\\\"1\"}]}\n",
	    "json: a header name that is not UTF-8 is name_b64, as values are, "
	    "not U+FFFD");
}

/* A 64 KiB value comes out whole and exact. */
static void
test_json_large(void)
{
	struct config cfg = config_for(CONFIG_SINK_FORMAT_JSON, NULL);
	struct sink_record rec;
	struct buf want;
	size_t len = 65536, i;
	char *value, *got;

	value = malloc(len);
	for (i = 0; i < len; i++)
		value[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36];
	rec = record("k", 1, value, len);
	buf_init(&want);
	buf_adds(&want, "{\"topic\":\"t\",\"partition\":0,\"offset\":5,"
	    "\"timestamp\":1700000000000,\"key\":\"k\",\"value\":\"");
	buf_add(&want, value, len);
	buf_adds(&want, "\"}\n");
	got = format(&cfg, &rec);
	is_int(strlen(got), want.len, "json: a 64 KiB value makes a line of "
	    "the expected length");
	ok(strcmp(got, buf_str(&want)) == 0,
	    "json: a 64 KiB value is reproduced exactly");
	free(got);
	buf_free(&want);
	free(value);
}

/* Text templates: directives, escapes, null fields, the newline. */
static void
test_text(void)
{
	struct config cfg;
	struct sink_record rec, nul;
	struct sink_header hdrs[3];

	rec = record("k1", 2, "val", 3);
	rec.partition = 3;
	rec.offset = 42;
	nul = record(NULL, 0, NULL, 0);

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT,
	    "%t|%p|%o|%k|%s|%T|%K|%S|%%");
	format_is(&cfg, &rec, "t|3|42|k1|val|1700000000000|2|3|%\n",
	    "text: every % directive expands");
	format_is(&cfg, &nul, "t|0|5|||1700000000000|0|0|%\n",
	    "text: a null key and value print as empty, with length 0");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "[%h]");
	format_is(&cfg, &rec, "[]\n", "text: %h is empty without headers");
	hdrs[0].name = "a";
	hdrs[0].value = "1";
	hdrs[0].len = 1;
	hdrs[1].name = "b";
	hdrs[1].value = NULL;
	hdrs[1].len = 0;
	hdrs[2].name = "c";
	hdrs[2].value = "";
	hdrs[2].len = 0;
	rec.headers = hdrs;
	rec.nheaders = 3;
	format_is(&cfg, &rec, "[a=1,b=NULL,c=]\n",
	    "text: %h prints name=value,... as kcat does (NULL for null)");
	rec.headers = NULL;
	rec.nheaders = 0;

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, NULL);
	format_is(&cfg, &rec, "t 3 42 k1 val\n",
	    "text: the default template is \"%t %p %o %k %s\"");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "a\\tb\\nc\\\\d\\q");
	format_is(&cfg, &rec, "a\tb\nc\\d\\q\n",
	    "text: \\t \\n \\\\ are escapes, an unknown one stays as written");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "%s\\n");
	format_is(&cfg, &rec, "val\n",
	    "text: a template ending in \\n gets no second newline");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "%s\n");
	format_is(&cfg, &rec, "val\n",
	    "text: a template ending in a newline gets no second newline");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "%s");
	rec.value = "line\n";
	rec.value_len = 5;
	format_is(&cfg, &rec, "line\n\n",
	    "text: a value ending in a newline still gets the record's "
	    "newline");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "%x %y 100%");
	format_is(&cfg, &rec, "%x %y 100%\n",
	    "text: unknown directives and a trailing % print literally");

	cfg = config_for(CONFIG_SINK_FORMAT_TEXT, "%k=%s");
	rec = record("\xff", 1, "a\0b", 3);
	{
		char *got = format(&cfg, &rec);
		ok(memcmp(got, "\xff=a\0b\n", 6) == 0,
		    "text: key and value bytes are written raw, NULs included");
		free(got);
	}
}

/*
 * The encoder cases t_buf does not already cover: base64 of 5 bytes, and
 * the UTF-8 edge cases beyond its overlong, surrogate and truncation ones.
 */
static void
test_encoders(void)
{
	struct buf b;

	buf_init(&b);
	buf_base64(&b, "fooba", 5);
	is_str(buf_str(&b), "Zm9vYmE=", "base64 of 5 bytes has one pad");
	buf_free(&b);

	ok(utf8_valid("\xf4\x8f\xbf\xbf", 4), "utf8: U+10FFFF is valid");
	ok(!utf8_valid("\xe0\x80\xaf", 3), "utf8: a 3-byte overlong is "
	    "invalid");
	ok(!utf8_valid("\xf0\x80\x80\xaf", 4), "utf8: a 4-byte overlong is "
	    "invalid");
	ok(!utf8_valid("\xf0\x9f\x98", 3), "utf8: a truncated 4-byte "
	    "sequence is invalid");
	ok(!utf8_valid("a\x80", 2), "utf8: a stray continuation byte is "
	    "invalid");
}

int
main(void)
{
	test_json();
	test_json_large();
	test_text();
	test_encoders();
	return tap_done();
}
