/*
 * fuzz_jsonlog.c: libFuzzer harness for kconsumerctl's JSON event log
 * reader: the input is read as one log file (timeline_read: the JSON
 * parser and the event decoder), then the timeline is built and written
 * as text and as JSON, as "kconsumerctl timeline" does.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: an event log, one JSON object a line. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct timeline tl;
	FILE *in;

	if (size == 0 || (devnull == NULL &&
	    (devnull = fopen("/dev/null", "w")) == NULL))
		return 0;
	if ((in = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	timeline_init(&tl, 10000, 0);
	timeline_name_stream(&tl, 0, "fuzz.log");
	timeline_read(&tl, in);
	fclose(in);
	timeline_build(&tl);
	timeline_print_skipped(&tl, devnull);
	timeline_json_write(&tl, devnull);
	timeline_print(&tl, devnull);
	timeline_free(&tl);
	return 0;
}
