/*
 * config_loader.h: the interface between the loader (config_load.c) and
 * the syntax front-ends that implement it (config_libconfig.c,
 * config_yaml.c).
 * A front-end walks its syntax tree and hands every value, with its dotted
 * path, file and line, to the loader's one callback; that callback is its
 * only way back, and it knows nothing about the options themselves.
 *
 * Main thread only, while a configuration is loaded.
 */
#ifndef KCONSUMERD_CONFIG_LOADER_H
#define KCONSUMERD_CONFIG_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;

/* Value kinds a front-end hands over. */
enum config_value_kind {
	CONFIG_VALUE_STRING,	/* a quoted or plain string */
	CONFIG_VALUE_INT,
	CONFIG_VALUE_FLOAT,
	CONFIG_VALUE_BOOL,
	CONFIG_VALUE_LIST,	/* items in list/nlist */
	CONFIG_VALUE_GROUP,	/* a group or map (see struct config_loader) */
	CONFIG_VALUE_NULL,	/* YAML null (~, null, empty): unset */
};

/* One value from a front-end, with where it was written. */
struct config_value {
	enum config_value_kind	 kind;
	const char		*str;	/* STRING; also the literal text of
					   INT/FLOAT/BOOL scalars when the
					   front-end has it (else NULL) */
	int64_t			 num;	/* INT */
	double			 dbl;	/* FLOAT */
	bool			 boolean; /* BOOL */
	struct config_value	*list;	/* LIST items */
	size_t			 nlist;
	const char		*file;
	int			 line;
};

/* Flags a front-end passes with a key. */
#define CONFIG_KEY_UNDERSCORE_DOTS 0x1	/* kafka names: retry "_" as "." */

/*
 * What a front-end hands values to. value() takes every leaf. A group or
 * map goes to value() as a CONFIG_VALUE_GROUP first: true means it is a
 * group of options and the front-end descends into it; false means it was
 * taken (or refused) as one value. The top level ("") is not handed over:
 * a front-end starts inside it.
 */
struct config_loader {
	bool	(*value)(void *arg, const char *path, int key_flags,
		    const struct config_value *v);
	void	*arg;
};

/* A syntax front-end. parse reads a file, parse_text text in memory (name
   stands for its file; NULL when the syntax has no such entry); both hand
   every value to ld and return false on a syntax error (recorded in d). */
struct config_syntax {
	const char	*name;
	bool		(*parse)(const struct config_loader *ld,
			    const char *path, struct diag *d);
	bool		(*parse_text)(const struct config_loader *ld,
			    const char *name, const char *text,
			    struct diag *d);
};

extern const struct config_syntax config_libconfig_syntax;
extern const struct config_syntax config_yaml_syntax;

#endif
