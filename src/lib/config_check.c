/*
 * config_check.c: checks of values that parse but cannot work at run
 * time, so that kconsumerd -t refuses them: empty or overlong ids, an
 * empty broker list, a sink path that is empty or a directory, an HTTP
 * address that cannot be resolved, a sink file or log file this process
 * cannot write (where it runs: -t in the unit's sandbox sees what the
 * daemon will). The schema's validators call the per-value checks;
 * config_load calls config_check_kafka_values and, with
 * CONFIG_LOAD_WRITABLE, config_check_writable.
 *
 * Main thread only, while loading.
 */
#include "autoconf.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <libgen.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_check.h"
#include "diag.h"
#include "xmalloc.h"

/* Longest group.id / client.id / group.instance.id kconsumerd accepts. */
#define CONFIG_ID_MAX	255

/* Whether s holds nothing but blanks (and, for a broker list, commas). */
static bool
config_blank(const char *s, const char *also)
{
	for (; *s != '\0'; s++)
		if (strchr(" \t\r\n", *s) == NULL && strchr(also, *s) == NULL)
			return false;
	return true;
}

/* An id (group.id, client.id): not empty, at most CONFIG_ID_MAX bytes. */
void
config_check_id(const char *name, const char *value, const char *file,
    int line, struct diag *d)
{
	size_t len = strlen(value);

	if (config_blank(value, ""))
		diag_error(d, file, line, "%s is empty: give it a name",
		    name);
	else if (len > CONFIG_ID_MAX)
		diag_error(d, file, line, "%s is %zu bytes long; the most "
		    "kconsumerd accepts is %d", name, len, CONFIG_ID_MAX);
}

/* A sink file path: not empty, not a directory. */
void
config_check_sink_path(const char *name, const char *value,
    const char *file, int line, struct diag *d)
{
	struct stat st;

	if (value[0] == '\0')
		diag_error(d, file, line, "%s is empty: give the file records "
		    "are appended to", name);
	else if (stat(value, &st) == 0 && S_ISDIR(st.st_mode))
		diag_error(d, file, line, "%s '%s' is a directory: give a "
		    "file in it", name, value);
}

/* An HTTP listen host (NULL: every address) must be one to bind to. */
void
config_check_listen_host(const char *name, const char *listen,
    const char *host, const char *file, int line, struct diag *d)
{
	struct addrinfo hints, *ai = NULL;
	int rc;

	if (host == NULL)
		return;
	if (host[0] == '\0') {
		diag_error(d, file, line, "%s '%s': the host is empty (write "
		    ":port for every address)", name, listen);
		return;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (listen[0] == '[') {		/* [address]: a literal, not a name */
		hints.ai_family = AF_INET6;
		hints.ai_flags |= AI_NUMERICHOST;
	}
	if ((rc = getaddrinfo(host, NULL, &hints, &ai)) != 0) {
		diag_error(d, file, line, "%s '%s': cannot resolve '%s': %s",
		    name, listen, host, gai_strerror(rc));
		return;
	}
	freeaddrinfo(ai);
}

/* The kafka properties kconsumerd relies on must hold something. */
void
config_check_kafka_values(const struct config *cfg, struct diag *d)
{
	const struct config_kafka_prop *p;
	size_t i;

	for (i = 0; i < cfg->nkafka; i++) {
		p = &cfg->kafka[i];
		if ((strcmp(p->name, "bootstrap.servers") == 0 ||
		    strcmp(p->name, "metadata.broker.list") == 0) &&
		    config_blank(p->value, ","))
			diag_error(d, p->file, p->line, "kafka property %s is "
			    "empty: give the brokers to start from, as "
			    "host:port[,host:port...]", p->name);
		else if (strcmp(p->name, "client.id") == 0)
			config_check_id("kafka property client.id", p->value,
			    p->file, p->line, d);
	}
}

/*
 * A file the daemon appends to (sink.path, log.file) must be writable,
 * or, when it does not exist yet, its directory must let it be created:
 * otherwise the daemon could only fail at start, again on every restart.
 */
void
config_check_writable(const char *name, const char *path, const char *file,
    int line, struct diag *d)
{
	struct stat st;
	char *copy, *dir;
	int err;

	if (path[0] == '\0' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return;		/* config_check_sink_path said why */
	if (access(path, F_OK) == 0) {
		if (access(path, W_OK) != 0)
			diag_error(d, file, line, "%s '%s' is not writable: %s; "
			    "under the systemd units only /var/lib/kconsumerd "
			    "and /var/log/kconsumerd are writable", name, path,
			    strerror(errno));
		return;
	}
	err = errno;
	copy = xstrdup(path);
	dir = dirname(copy);
	if (err != ENOENT)
		diag_error(d, file, line, "%s '%s': %s", name, path,
		    strerror(err));
	else if (access(dir, W_OK | X_OK) != 0)
		diag_error(d, file, line, "%s '%s' cannot be created in %s: "
		    "%s; under the systemd units only /var/lib/kconsumerd "
		    "and /var/log/kconsumerd are writable", name, path, dir,
		    strerror(errno));
	free(copy);
}
