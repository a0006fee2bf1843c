/*
 * t_diag.c: every diagnostic prints as one line that starts with its
 * file:line, even when the text it quotes (librdkafka's error strings)
 * ends in, or holds, a newline.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "tap.h"

int
main(void)
{
	struct diag d;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	diag_init(&d);
	diag_error(&d, "k.yaml", 3, "kafka property 'x': %s",
	    "Invalid value \"y\"\n");
	diag_warn(&d, "k.yaml", 4, "first line\nsecond line\r\n");
	fp = open_memstream(&out, &len);
	diag_print(&d, fp);
	fclose(fp);
	is_str(out, "k.yaml:3: error: kafka property 'x': Invalid value "
	    "\"y\"\nk.yaml:4: warning: first line second line\n",
	    "a trailing newline is dropped and one inside becomes a space: "
	    "each diagnostic is one line with its file:line");
	is_int(d.nerrors, 1, "one error counted");
	is_int(d.nwarnings, 1, "one warning counted");
	free(out);
	diag_free(&d);
	return tap_done();
}
