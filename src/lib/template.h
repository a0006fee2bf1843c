/*
 * template.h: group.instance_id templates (template.c): %h the short host
 * name, %i the consumer index, %% a percent sign, ${VAR} an environment
 * variable.
 *
 * Any thread; no state.
 */
#ifndef KCONSUMERD_TEMPLATE_H
#define KCONSUMERD_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

/* Expand tmpl for host and consumer index; NULL and *err set (to be
   freed) on error. */
char *template_expand(const char *tmpl, const char *host, int index,
    char **err);
/* True when tmpl uses %i. */
bool template_has_index(const char *tmpl);
/* Syntax only (no environment lookups): false and *err set on error. */
bool template_check(const char *tmpl, char **err);
/* What %h stands for: gethostname up to the first dot ("localhost" when
   it fails). */
void template_short_hostname(char *host, size_t len);
/* The part of s that looks like a Kubernetes Deployment's generated pod
   name suffix ("-7d9f8b6c4-xk2p4"), copied into out; false when none. */
bool template_generated_suffix(const char *s, char *out, size_t len);

#endif
