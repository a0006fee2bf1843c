/*
 * b_format.c: records formatted per second, JSON and text, for a small
 * and a 4 KiB value, and with a binary (base64) value.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "sink.h"

#define BENCH_RECORDS 1000000

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Format BENCH_RECORDS copies of rec and print the rate. */
static void
bench(const char *name, const struct config *cfg, const struct sink_record *rec)
{
	struct buf out;
	double t0, dt;
	size_t bytes = 0;
	int i;

	buf_init(&out);
	t0 = now();
	for (i = 0; i < BENCH_RECORDS; i++) {
		buf_reset(&out);
		format_record(&out, cfg, rec);
		bytes += out.len;
	}
	dt = now() - t0;
	printf("%-28s %10.0f records/s %8.1f MB/s\n", name,
	    BENCH_RECORDS / dt, (double)bytes / dt / 1e6);
	buf_free(&out);
}

int
main(void)
{
	static char big[4096], bin[256];
	struct config json, text;
	struct sink_record rec;
	size_t i;

	memset(&json, 0, sizeof json);
	json.sink.format = CONFIG_SINK_FORMAT_JSON;
	memset(&text, 0, sizeof text);
	text.sink.format = CONFIG_SINK_FORMAT_TEXT;
	memset(big, 'x', sizeof big);
	for (i = 0; i < sizeof bin; i++)
		bin[i] = (char)i;
	memset(&rec, 0, sizeof rec);
	rec.topic = "orders";
	rec.partition = 3;
	rec.offset = 123456789;
	rec.timestamp = 1700000000000LL;
	rec.key = "customer-42";
	rec.key_len = 11;
	rec.value = "{\"amount\": 12.5, \"currency\": \"EUR\"}";
	rec.value_len = strlen(rec.value);
	bench("json, 36-byte value", &json, &rec);
	bench("text, 36-byte value", &text, &rec);
	rec.value = big;
	rec.value_len = sizeof big;
	bench("json, 4 KiB value", &json, &rec);
	rec.value = bin;
	rec.value_len = sizeof bin;
	bench("json, 256-byte binary value", &json, &rec);
	return 0;
}
