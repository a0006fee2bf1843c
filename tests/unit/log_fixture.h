/*
 * log_fixture.h: every line kconsumerd's log emits, kept in memory for
 * the unit tests that check events (t_renew, t_rebalance).
 */
#ifndef KCONSUMERD_LOG_FIXTURE_H
#define KCONSUMERD_LOG_FIXTURE_H

#include "buf.h"
#include "log.h"

static struct buf fixture_log_lines;

/* Keep an emitted line (the log's hook). */
static inline void
fixture_log_hook(enum log_level level, const char *event, const char *line,
    void *arg)
{
	(void)level;
	(void)event;
	(void)arg;
	buf_adds(&fixture_log_lines, line);
	buf_addc(&fixture_log_lines, '\n');
}

/* Start keeping the log's lines (the log itself goes to /dev/null). */
static inline void
fixture_log_start(enum log_format format)
{
	log_init();
	log_configure(LOG_LEVEL_INFO, format, "/dev/null");
	buf_init(&fixture_log_lines);
	log_set_hook(fixture_log_hook, NULL);
}

/* Stop keeping them and free what was kept. */
static inline void
fixture_log_stop(void)
{
	log_set_hook(NULL, NULL);
	buf_free(&fixture_log_lines);
}

#endif
