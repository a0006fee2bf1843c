/*
 * log.h: the one logger. Every line kconsumerd writes to its log goes
 * through here, as text (key=value) or as one JSON object per line, with
 * the same fields either way: ts, level, event, then the record's own.
 *
 * Any thread: each line is written with one write(2) under a mutex, so
 * lines never interleave.
 */
#ifndef KCONSUMERD_LOG_H
#define KCONSUMERD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

enum log_format {
	LOG_FORMAT_TEXT,
	LOG_FORMAT_JSON,
};

struct logrec;

/* Receives every emitted line (without newline), for in-process readers. */
typedef void (*log_hook_fn)(enum log_level level, const char *event,
    const char *line, void *arg);

void log_init(void);
int log_configure(enum log_level level, enum log_format format,
    const char *path);
int log_reopen(void);
void log_free(void);
bool log_enabled(enum log_level level);
void log_set_hook(log_hook_fn fn, void *arg);
const char *log_level_name(enum log_level level);
int log_level_parse(const char *name);

/* Free-text messages: event "log" with a msg field. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Structured records: build, then emit (which frees). */
struct logrec *logrec_new(enum log_level level, const char *event);
void logrec_str(struct logrec *r, const char *key, const char *value);
void logrec_int(struct logrec *r, const char *key, long long value);
void logrec_bool(struct logrec *r, const char *key, bool value);
void logrec_null(struct logrec *r, const char *key);
void logrec_strv(struct logrec *r, const char *key, char *const *v,
    size_t n);
struct partlist_item;
void logrec_parts(struct logrec *r, const char *key,
    const struct partlist_item *parts, size_t n);
void logrec_raw(struct logrec *r, const char *key, const char *json,
    const char *text);
void logrec_printf(struct logrec *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void logrec_emit(struct logrec *r);

/* Format a timestamp as RFC 3339 UTC with milliseconds into out[32]. */
void log_format_time(char out[32], int64_t ms_since_epoch);

#endif
