/*
 * log.c: the one logger, text or JSON lines, to stderr or a file.
 *
 * Any thread. The destination and format are global and guarded by
 * log_lock; a record is built privately by its caller and written with a
 * single write(2) under the lock.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "exitcodes.h"
#include "log.h"
#include "partlist.h"
#include "xmalloc.h"

struct logrec {
	bool		 off;	/* filtered out by level: adds are no-ops */
	enum log_level	 level;
	char		*event;
	struct buf	 line;
};

static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;
static enum log_level	 log_level = LOG_LEVEL_INFO;
static enum log_format	 log_format = LOG_FORMAT_TEXT;
static char		*log_path;	/* NULL: stderr */
static int		 log_fd = STDERR_FILENO;
static log_hook_fn	 log_hook;
static void		*log_hook_arg;

static const char *const log_level_names[] = {
	"error", "warn", "info", "debug",
};

/* Reset to the defaults: stderr, text, info. */
void
log_init(void)
{
	pthread_mutex_lock(&log_lock);
	log_level = LOG_LEVEL_INFO;
	log_format = LOG_FORMAT_TEXT;
	pthread_mutex_unlock(&log_lock);
}

/* Open path for appending, or return stderr's descriptor for NULL. */
static int
log_open(const char *path)
{
	if (path == NULL)
		return STDERR_FILENO;
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

/* Set level, format and destination (NULL: stderr); -1 with errno set. */
int
log_configure(enum log_level level, enum log_format format, const char *path)
{
	int fd = log_open(path);

	if (fd < 0)
		return -1;
	pthread_mutex_lock(&log_lock);
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = fd;
	free(log_path);
	log_path = path != NULL ? xstrdup(path) : NULL;
	log_level = level;
	log_format = format;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

/* Reopen the log file (after logrotate); a no-op for stderr. */
int
log_reopen(void)
{
	int fd, ret = 0;

	pthread_mutex_lock(&log_lock);
	if (log_path != NULL) {
		if ((fd = log_open(log_path)) < 0)
			ret = -1;
		else {
			close(log_fd);
			log_fd = fd;
		}
	}
	pthread_mutex_unlock(&log_lock);
	return ret;
}

/* Close the log file and go back to stderr. */
void
log_free(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = STDERR_FILENO;
	free(log_path);
	log_path = NULL;
	log_hook = NULL;
	pthread_mutex_unlock(&log_lock);
}

/* True when records at level are written. */
bool
log_enabled(enum log_level level)
{
	return level <= log_level;
}

/* Install a hook that sees every emitted line (NULL removes it). */
void
log_set_hook(log_hook_fn fn, void *arg)
{
	pthread_mutex_lock(&log_lock);
	log_hook = fn;
	log_hook_arg = arg;
	pthread_mutex_unlock(&log_lock);
}

/* The name of a level as it appears in the level field. */
const char *
log_level_name(enum log_level level)
{
	return log_level_names[level];
}

/* Parse a level name; -1 when unknown. */
int
log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof log_level_names / sizeof *log_level_names; i++)
		if (strcmp(name, log_level_names[i]) == 0)
			return (int)i;
	return -1;
}

/* RFC 3339, UTC, milliseconds: 2026-11-21T08:48:00.123Z. */
void
log_format_time(char out[32], int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

/* True when a text-mode value needs quotes. */
static bool
log_text_needs_quotes(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '"' || *s == '=' || *s == '\\' ||
		    (unsigned char)*s < 0x20)
			return true;
	return false;
}

/* Append " key=" or ,"key": and return whether the record is on. */
static bool
logrec_key(struct logrec *r, const char *key)
{
	if (r->off)
		return false;
	if (log_format == LOG_FORMAT_JSON) {
		buf_addc(&r->line, ',');
		buf_json_cstr(&r->line, key);
		buf_addc(&r->line, ':');
	} else
		buf_printf(&r->line, " %s=", key);
	return true;
}

/* Append a string value in the record's format (no key). */
static void
logrec_value_str(struct logrec *r, const char *value)
{
	if (log_format == LOG_FORMAT_JSON || log_text_needs_quotes(value))
		buf_json_cstr(&r->line, value);
	else
		buf_adds(&r->line, value);
}

/* Start a record; the envelope fields ts, level and event come first. */
struct logrec *
logrec_new(enum log_level level, const char *event)
{
	struct logrec *r = xcalloc(1, sizeof *r);
	char ts[32];

	r->level = level;
	r->off = !log_enabled(level);
	r->event = xstrdup(event);
	buf_init(&r->line);
	if (r->off)
		return r;
	log_format_time(ts, clock_wall_ms());
	if (log_format == LOG_FORMAT_JSON) {
		buf_printf(&r->line, "{\"ts\":\"%s\",\"level\":\"%s\",\"event\":",
		    ts, log_level_name(level));
		buf_json_cstr(&r->line, event);
	} else {
		buf_printf(&r->line, "ts=%s level=%s event=", ts,
		    log_level_name(level));
		logrec_value_str(r, event);
	}
	return r;
}

/* Add a string field; NULL is written as null (text: -). */
void
logrec_str(struct logrec *r, const char *key, const char *value)
{
	if (!logrec_key(r, key))
		return;
	if (value == NULL)
		buf_adds(&r->line, log_format == LOG_FORMAT_JSON ? "null" : "-");
	else
		logrec_value_str(r, value);
}

/* Add a null field. */
void
logrec_null(struct logrec *r, const char *key)
{
	logrec_str(r, key, NULL);
}

/* Add an integer field. */
void
logrec_int(struct logrec *r, const char *key, long long value)
{
	if (logrec_key(r, key))
		buf_printf(&r->line, "%lld", value);
}

/* Add a boolean field. */
void
logrec_bool(struct logrec *r, const char *key, bool value)
{
	if (logrec_key(r, key))
		buf_adds(&r->line, value ? "true" : "false");
}

/* Add a pre-rendered value: json in JSON mode, text (quoted as needed)
   in text mode. */
void
logrec_raw(struct logrec *r, const char *key, const char *json,
    const char *text)
{
	if (!logrec_key(r, key))
		return;
	if (log_format == LOG_FORMAT_JSON)
		buf_adds(&r->line, json);
	else
		logrec_value_str(r, text);
}

/* Add a formatted string field. */
void
logrec_printf(struct logrec *r, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (r->off)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL)
		return;
	logrec_str(r, key, s);
	free(s);
}

/* Add a list of strings: a JSON array, or a comma list in text. */
void
logrec_strv(struct logrec *r, const char *key, char *const *v, size_t n)
{
	struct buf text;
	size_t i;

	if (!logrec_key(r, key))
		return;
	if (log_format == LOG_FORMAT_JSON) {
		buf_addc(&r->line, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_addc(&r->line, ',');
			buf_json_cstr(&r->line, v[i]);
		}
		buf_addc(&r->line, ']');
		return;
	}
	buf_init(&text);
	for (i = 0; i < n; i++)
		buf_printf(&text, "%s%s", i > 0 ? "," : "", v[i]);
	logrec_value_str(r, buf_str(&text));
	buf_free(&text);
}

/*
 * Add a partition list, each item's num[0] its offset (-1 when unknown):
 * JSON [{"topic":..,"partition":..,"offset":..}], text
 * topic[partition]@offset,...
 */
void
logrec_parts(struct logrec *r, const char *key,
    const struct partlist_item *parts, size_t n)
{
	static const char *const names[] = { "offset", NULL };
	struct buf text;

	if (!logrec_key(r, key))
		return;
	if (log_format == LOG_FORMAT_JSON) {
		partlist_json(&r->line, parts, n, names);
		return;
	}
	buf_init(&text);
	partlist_text(&text, parts, n, 1);
	logrec_value_str(r, buf_str(&text));
	buf_free(&text);
}

/* Write the record as one line and free it. */
void
logrec_emit(struct logrec *r)
{
	if (!r->off) {
		if (log_format == LOG_FORMAT_JSON)
			buf_addc(&r->line, '}');
		pthread_mutex_lock(&log_lock);
		if (log_hook != NULL)
			log_hook(r->level, r->event, buf_str(&r->line),
			    log_hook_arg);
		buf_addc(&r->line, '\n');
		if (write(log_fd, r->line.data, r->line.len) < 0) {
			/* nowhere left to report it */
		}
		pthread_mutex_unlock(&log_lock);
	}
	buf_free(&r->line);
	free(r->event);
	free(r);
}

/* Emit a free-text message, optionally with strerror(errnum). */
static void __attribute__((format(printf, 3, 0)))
log_vmsg(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	struct logrec *r;
	char *msg;

	if (!log_enabled(level))
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	r = logrec_new(level, "log");
	if (errnum != 0)
		logrec_printf(r, "msg", "%s: %s", msg, strerror(errnum));
	else
		logrec_str(r, "msg", msg);
	logrec_emit(r);
	free(msg);
}

#define LOG_DEFINE(name, level, with_errno)				\
void									\
name(const char *fmt, ...)						\
{									\
	int saved = errno;						\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_vmsg(level, with_errno ? saved : 0, fmt, ap);		\
	va_end(ap);							\
	errno = saved;							\
}

LOG_DEFINE(log_debug, LOG_LEVEL_DEBUG, 0)
LOG_DEFINE(log_info, LOG_LEVEL_INFO, 0)
LOG_DEFINE(log_warnx, LOG_LEVEL_WARN, 0)
LOG_DEFINE(log_warn, LOG_LEVEL_WARN, 1)
LOG_DEFINE(log_errorx, LOG_LEVEL_ERROR, 0)
LOG_DEFINE(log_error, LOG_LEVEL_ERROR, 1)

/* Log an internal error and exit 70. */
void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(EXIT_INTERNAL);
}
