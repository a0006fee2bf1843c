/*
 * fuzz_template.c: libFuzzer harness for the instance id template
 * expander (template.c): the input, up to its first NUL, is the
 * template, checked and expanded (${VAR} may name any variable).
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: a template. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tmpl, *out, *err = NULL, *err2 = NULL;

	tmpl = malloc(size + 1);
	memcpy(tmpl, data, size);
	tmpl[size] = '\0';
	(void)template_check(tmpl, &err);
	out = template_expand(tmpl, "fuzzhost", 7, &err2);
	free(out);
	free(err);
	free(err2);
	free(tmpl);
	return 0;
}
