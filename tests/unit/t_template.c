/*
 * t_template.c: group.instance_id templates expand %h, %i, %% and ${VAR},
 * and refuse anything else with a message saying why.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "template.h"
#include "../tap.h"

/* Expand and return the result or the error text (freed by the next
   call, so that LeakSanitizer runs stay clean). */
static const char *
expand(const char *tmpl, int index)
{
	static char *last;
	char *err = NULL, *out;

	free(last);
	out = template_expand(tmpl, "web1", index, &err);
	last = out != NULL ? out : err;
	return last;
}

/* Check template_generated_suffix on s: want the part it finds, or NULL
   for none. */
static void
generated(const char *s, const char *want, const char *sentence)
{
	char part[64] = "";
	bool found = template_generated_suffix(s, part, sizeof part);

	ok(want == NULL ? !found : found && strcmp(part, want) == 0, "%s (%s)",
	    sentence, s);
	if (found && (want == NULL || strcmp(part, want) != 0))
		printf("#   found: '%s'\n", part);
}

int
main(void)
{
	char *err = NULL;

	setenv("KC_T_ZONE", "eu-1", 1);
	unsetenv("KC_T_UNSET");

	is_str(expand("%h-%i", 3), "web1-3", "%%h and %%i become host and index");
	is_str(expand("plain", 0), "plain", "text without conversions is "
	    "kept");
	is_str(expand("", 0), "", "an empty template expands to nothing");
	is_str(expand("100%%-%i", 0), "100%-0", "%%%% is a percent sign");
	is_str(expand("${KC_T_ZONE}.%h", 0), "eu-1.web1", "${VAR} is the "
	    "environment variable");
	is_str(expand("$HOME-%i", 1), "$HOME-1", "a $ without a brace is "
	    "plain text");
	like(expand("a-${KC_T_UNSET}", 0), "KC_T_UNSET is not set",
	    "an unset variable is an error naming it");
	ok(template_expand("%x", "h", 0, &err) == NULL && err != NULL,
	    "an unknown conversion returns NULL and an error");
	like(err, "'%x'", "the error names the unknown conversion");
	free(err);
	err = NULL;
	like(expand("id-%", 0), "lone '%'", "a trailing %% is an error");
	like(expand("${KC_T_ZONE", 0), "closing '}'", "an unterminated ${ is "
	    "an error");
	like(expand("${}", 0), "names no variable", "${} is an error");

	ok(template_check("${KC_T_UNSET}-%i", &err), "template_check does not "
	    "look variables up");
	ok(!template_check("%q", &err), "template_check refuses an unknown "
	    "conversion");
	free(err);
	expand("", 0);

	ok(template_has_index("%h-%i"), "%%h-%%i uses the index");
	ok(!template_has_index("%h"), "%%h alone does not use the index");
	ok(!template_has_index("100%%i"), "%%%%i is a percent sign and an i, "
	    "not the index");

	generated("kconsumerd-7d9f8b6c4-xk2p4-0", "-7d9f8b6c4-xk2p4",
	    "a Deployment's pod name (hash and random part) is generated");
	generated("orders-5c9d8-q2w4z", "-5c9d8-q2w4z",
	    "a short pod-template hash too");
	generated("kconsumerd-0-1", NULL, "a StatefulSet's NAME-ORDINAL is not");
	generated("web-5f6b7c8d9-abcde", NULL, "vowels are not in Kubernetes' "
	    "generated names: not generated");
	generated("orders-consumer-eu1", NULL, "ordinary words are not");
	generated("kconsumerd-7d9f8b6c4-xk2p4x", NULL, "a random part longer "
	    "than 5 is not one");
	return tap_done();
}
