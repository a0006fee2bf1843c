/*
 * template.c: expanding group.instance_id templates: %h the short host
 * name, %i the consumer index, %% a percent sign, ${VAR} an environment
 * variable; the short host name %h stands for; and telling a
 * Deployment's generated pod name in an expanded id.
 *
 * Any thread; no state.
 */
#include "autoconf.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "template.h"
#include "xmalloc.h"

/*
 * Walk tmpl once; with out, append the expansion (looking variables up),
 * without it only check the syntax. False and *err set on error.
 */
static bool
template_walk(const char *tmpl, const char *host, int index, struct buf *out,
    char **err)
{
	const char *p, *end;
	char *name;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '$' && p[1] == '{') {
			if ((end = strchr(p + 2, '}')) == NULL) {
				xasprintf(err, "'${' without a closing '}'");
				return false;
			}
			if (end == p + 2) {
				xasprintf(err, "'${}' names no variable");
				return false;
			}
			name = xstrndup(p + 2, end - (p + 2));
			if (out != NULL && getenv(name) == NULL) {
				xasprintf(err, "environment variable %s is not "
				    "set", name);
				free(name);
				return false;
			}
			if (out != NULL)
				buf_adds(out, getenv(name));
			free(name);
			p = end;
			continue;
		}
		if (*p != '%') {
			if (out != NULL)
				buf_addc(out, *p);
			continue;
		}
		switch (p[1]) {
		case 'h':
			if (out != NULL)
				buf_adds(out, host);
			break;
		case 'i':
			if (out != NULL)
				buf_printf(out, "%d", index);
			break;
		case '%':
			if (out != NULL)
				buf_addc(out, '%');
			break;
		case '\0':
			xasprintf(err, "a lone '%%' at the end (write %%%% for "
			    "a percent sign)");
			return false;
		default:
			xasprintf(err, "unknown conversion '%%%c' (use %%h host "
			    "name, %%i consumer index, %%%% percent sign or "
			    "${VAR})", p[1]);
			return false;
		}
		p++;
	}
	return true;
}

/* Expand tmpl for one consumer; NULL and *err set (to free) on error. */
char *
template_expand(const char *tmpl, const char *host, int index, char **err)
{
	struct buf out;

	buf_init(&out);
	buf_adds(&out, "");
	if (!template_walk(tmpl, host, index, &out, err)) {
		buf_free(&out);
		return NULL;
	}
	return buf_steal(&out);
}

/* Check a template's syntax without looking anything up. */
bool
template_check(const char *tmpl, char **err)
{
	return template_walk(tmpl, NULL, 0, NULL, err);
}

/* True when the template uses %i, so each consumer's id differs. */
bool
template_has_index(const char *tmpl)
{
	const char *p;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0')
			continue;
		if (p[1] == 'i')
			return true;
		p++;
	}
	return false;
}

/* The short host name: gethostname up to the first dot (%h). */
void
template_short_hostname(char *host, size_t len)
{
	if (gethostname(host, len) != 0)
		snprintf(host, len, "localhost");
	host[len - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
}

/*
 * Find a Kubernetes Deployment's generated pod name suffix in s: the
 * ReplicaSet's pod-template hash and the pod's own random part, "-HASH-XXXXX",
 * both from Kubernetes' alphabet for generated names (no vowels, no 0, 1
 * or 3: "bcdfghjklmnpqrstvwxz2456789"), the hash 5 to 10 long, the part
 * 5, ending s or followed by a non-alphanumeric. A StatefulSet's pod is
 * NAME-ORDINAL and does not match.
 */
bool
template_generated_suffix(const char *s, char *out, size_t len)
{
	static const char *const re_text =
	    "-[bcdfghjklmnpqrstvwxz2456789]{5,10}"
	    "-[bcdfghjklmnpqrstvwxz2456789]{5}([^a-z0-9]|$)";
	regmatch_t m[1];
	regex_t re;
	bool found;
	size_t n;

	if (regcomp(&re, re_text, REG_EXTENDED) != 0)
		return false;
	found = regexec(&re, s, 1, m, 0) == 0;
	regfree(&re);
	if (!found)
		return false;
	n = (size_t)(m[0].rm_eo - m[0].rm_so);
	/* without the character that ended it */
	if (n > 0 && strchr("bcdfghjklmnpqrstvwxz2456789", s[m[0].rm_eo - 1])
	    == NULL)
		n--;
	snprintf(out, len, "%.*s", (int)n, s + m[0].rm_so);
	return true;
}
