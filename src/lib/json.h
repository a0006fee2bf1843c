/*
 * json.h: a small JSON (RFC 8259) parser into a DOM of objects, arrays,
 * strings, numbers, booleans and null, for reading kconsumerd's JSON
 * event logs back in.
 *
 * Any thread; a tree belongs to whoever parsed it.
 */
#ifndef KCONSUMERD_JSON_H
#define KCONSUMERD_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of arrays and objects json_parse accepts. */
#define JSON_MAX_DEPTH	64

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type	  type;
	bool		  boolean;	/* JSON_BOOL */
	double		  number;	/* JSON_NUMBER */
	bool		  integral;	/* JSON_NUMBER written as an int64 */
	int64_t		  integer;	/* JSON_NUMBER when integral */
	char		 *str;		/* JSON_STRING: decoded, NUL-ended */
	size_t		  len;		/* string bytes, or item count */
	char		**keys;		/* JSON_OBJECT: one key per item */
	struct json	**items;	/* JSON_ARRAY, JSON_OBJECT */
};

/*
 * Parse exactly one JSON value (surrounding white space allowed) from
 * text[0..len). NULL on error, with a message in err when it is not NULL.
 */
struct json *json_parse(const char *text, size_t len, char *err,
    size_t errlen);
void json_free(struct json *v);

/* The first member of an object named key, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* The string member key of an object, or NULL when absent or no string. */
const char *json_get_str(const struct json *obj, const char *key);
/* True and *out set when member key is an integer number. */
bool json_get_int(const struct json *obj, const char *key, int64_t *out);

#endif
