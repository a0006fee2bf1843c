/*
 * fdlimit.c: make sure the process may open enough file descriptors for
 * the configured members (each librdkafka consumer holds a socket and a
 * wakeup pipe per broker) plus the sinks, the log and the HTTP endpoint:
 * raise the soft RLIMIT_NOFILE towards the hard one, and refuse to start
 * when even that is too low, instead of members looping on EMFILE.
 *
 * Main thread, at start, before any member runs.
 */
#include "autoconf.h"

#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "fdlimit.h"
#include "log.h"

#define FDLIMIT_RESERVE		128	/* sinks, log, HTTP, librdkafka's own */
#define FDLIMIT_PER_BROKER	3	/* socket and wakeup pipe */
#define FDLIMIT_MIN_BROKERS	3	/* a cluster is rarely smaller */

/* Entries of a comma-separated broker list. */
static unsigned long
fdlimit_brokers(const char *list)
{
	unsigned long n = 1;

	if (list == NULL)
		return FDLIMIT_MIN_BROKERS;
	for (; *list != '\0'; list++)
		n += *list == ',';
	return n < FDLIMIT_MIN_BROKERS ? FDLIMIT_MIN_BROKERS : n;
}

/* File descriptors the configuration needs, roughly and generously. */
unsigned long
fdlimit_need(const struct config *cfg)
{
	const char *bs = config_kafka_get(cfg, "bootstrap.servers");
	unsigned long brokers;

	if (bs == NULL)
		bs = config_kafka_get(cfg, "metadata.broker.list");
	/* known brokers and the bootstrap ones are separate connections */
	brokers = 2 * fdlimit_brokers(bs);
	return FDLIMIT_RESERVE + (unsigned long)cfg->consumers *
	    (FDLIMIT_PER_BROKER * brokers + 4);
}

/* A limit for the log: its number, or "unlimited". */
static const char *
fdlimit_str(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

/*
 * Raise the soft descriptor limit as far as the configuration needs (up
 * to the hard limit) and log what was asked and granted (LimitNOFILE
 * may have been capped by a lower hard limit above systemd); false after
 * logging why when that is not enough.
 */
bool
fdlimit_check(const struct config *cfg)
{
	struct rlimit rl;
	unsigned long need = fdlimit_need(cfg);
	rlim_t was, asked = 0;
	char b1[32], b2[32], b3[32], b4[32];

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return true;
	was = rl.rlim_cur;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur = asked = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > need ? need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("cannot raise RLIMIT_NOFILE");
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		log_errorx("consumers: %lld members need about %lu file "
		    "descriptors, but RLIMIT_NOFILE allows %llu (hard limit "
		    "%llu); raise LimitNOFILE (ulimit -n) or lower consumers",
		    (long long)cfg->consumers, need,
		    (unsigned long long)rl.rlim_cur,
		    (unsigned long long)rl.rlim_max);
		return false;
	}
	if (asked != 0)
		log_info("fdlimit: %lld members need about %lu file "
		    "descriptors; RLIMIT_NOFILE was %s, asked %s, granted %s "
		    "(hard limit %s)", (long long)cfg->consumers, need,
		    fdlimit_str(was, b1, sizeof b1),
		    fdlimit_str(asked, b2, sizeof b2),
		    fdlimit_str(rl.rlim_cur, b3, sizeof b3),
		    fdlimit_str(rl.rlim_max, b4, sizeof b4));
	else
		log_info("fdlimit: %lld members need about %lu file "
		    "descriptors; RLIMIT_NOFILE granted %s (hard limit %s)",
		    (long long)cfg->consumers, need,
		    fdlimit_str(rl.rlim_cur, b2, sizeof b2),
		    fdlimit_str(rl.rlim_max, b3, sizeof b3));
	return true;
}
