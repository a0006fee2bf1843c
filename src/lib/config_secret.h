/*
 * config_secret.h: secrets by reference. A kafka property's value
 * "@file:PATH", "@credential:NAME" or "@env:NAME" names where the secret
 * lives; the loader reads it (config_secret_read) and keeps the reference
 * for printing. "@@file:..." stands for the literal "@file:...".
 *
 * Main thread only, while a configuration is loaded.
 */
#ifndef KCONSUMERD_CONFIG_SECRET_H
#define KCONSUMERD_CONFIG_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* The largest secret read from a file or credential (a PEM chain fits). */
#define CONFIG_SECRET_MAX (1024 * 1024)

/* What a written value is. */
enum config_secret_kind {
	CONFIG_SECRET_LITERAL,		/* the value itself */
	CONFIG_SECRET_ESCAPED,		/* "@@scheme:...": literal minus '@' */
	CONFIG_SECRET_REFERENCE,	/* "@scheme:..." of a known scheme */
	CONFIG_SECRET_UNKNOWN,		/* "@word:..." of no known scheme */
};

enum config_secret_kind config_secret_kind(const char *value);

/* Read the secret a reference names (to be freed); NULL and *err (to be
   freed) when it cannot be read. A relative @file: path is taken from
   the folder of base_file (the configuration file). One trailing newline
   is dropped. */
char *config_secret_read(const char *ref, const char *base_file,
    char **err);

/* True when a property's value is itself a secret that must not sit in a
   file others can read (a password, a key; not a path to one). */
bool config_secret_in_clear(const char *kafka_name);

#endif
