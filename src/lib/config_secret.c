/*
 * config_secret.c: secrets by reference (config_secret.h): which values
 * are references, reading the file, systemd credential or environment
 * variable one names, and which properties hold a secret in clear.
 *
 * Main thread only, while a configuration is loaded.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config_schema.h"
#include "config_secret.h"
#include "xmalloc.h"

/* The schemes a reference may name. */
static const char *const config_secret_schemes[] = {
	"file:", "credential:", "env:", NULL,
};

/* The scheme value starts with (after its '@'), or NULL. */
static const char *
config_secret_scheme(const char *value)
{
	size_t i;

	for (i = 0; config_secret_schemes[i] != NULL; i++)
		if (strncmp(value, config_secret_schemes[i],
		    strlen(config_secret_schemes[i])) == 0)
			return config_secret_schemes[i];
	return NULL;
}

/* What a written value is: a reference, an escaped literal, or not. */
enum config_secret_kind
config_secret_kind(const char *value)
{
	const char *p;

	if (value[0] != '@')
		return CONFIG_SECRET_LITERAL;
	if (value[1] == '@' && config_secret_scheme(value + 2) != NULL)
		return CONFIG_SECRET_ESCAPED;
	if (config_secret_scheme(value + 1) != NULL)
		return CONFIG_SECRET_REFERENCE;
	for (p = value + 1; (*p >= 'a' && *p <= 'z') || *p == '_'; p++)
		;
	return p > value + 1 && *p == ':' ? CONFIG_SECRET_UNKNOWN :
	    CONFIG_SECRET_LITERAL;
}

/* Read a whole file (at most CONFIG_SECRET_MAX bytes) into *out. */
static char *
config_secret_file(const char *path, char **err)
{
	char *s = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		xasprintf(err, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	s = xmalloc(CONFIG_SECRET_MAX + 1);
	while (len <= CONFIG_SECRET_MAX &&
	    (n = read(fd, s + len, CONFIG_SECRET_MAX + 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(err, "cannot read %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		len += (size_t)n;
	}
	if (len > CONFIG_SECRET_MAX) {
		xasprintf(err, "%s is larger than %d bytes", path,
		    CONFIG_SECRET_MAX);
		goto fail;
	}
	s[len] = '\0';
	if (strlen(s) != len) {
		xasprintf(err, "%s holds a NUL byte (not text)", path);
		goto fail;
	}
	close(fd);
	return s;
fail:
	close(fd);
	free(s);
	return NULL;
}

/* A credential's name: one path component, not "." or "..". */
static bool
config_secret_name_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* The raw text a reference names, or NULL with *err. */
static char *
config_secret_fetch(const char *ref, const char *base_file, char **err)
{
	const char *arg, *dir, *slash, *v;
	char *path, *s;

	if (strncmp(ref, "@env:", 5) == 0) {
		arg = ref + 5;
		if ((v = getenv(arg)) == NULL) {
			xasprintf(err, "%s: the environment variable %s is "
			    "not set", ref, arg);
			return NULL;
		}
		return xstrdup(v);
	}
	if (strncmp(ref, "@credential:", 12) == 0) {
		arg = ref + 12;
		if (!config_secret_name_ok(arg)) {
			xasprintf(err, "%s: a credential's name is one "
			    "file name (no '/')", ref);
			return NULL;
		}
		if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL ||
		    *dir == '\0') {
			xasprintf(err, "%s: CREDENTIALS_DIRECTORY is not set "
			    "(systemd sets it for LoadCredential=)", ref);
			return NULL;
		}
		xasprintf(&path, "%s/%s", dir, arg);
	} else {
		arg = ref + 6;
		if (*arg == '\0') {
			xasprintf(err, "%s: no file named", ref);
			return NULL;
		}
		if (arg[0] == '/' || base_file == NULL ||
		    (slash = strrchr(base_file, '/')) == NULL)
			path = xstrdup(arg);
		else
			xasprintf(&path, "%.*s/%s", (int)(slash - base_file),
			    base_file, arg);
	}
	s = config_secret_file(path, err);
	free(path);
	if (s == NULL) {
		path = *err;
		xasprintf(err, "%s: %s", ref, path);
		free(path);
	}
	return s;
}

/* Read the secret a reference names (see config_secret.h). */
char *
config_secret_read(const char *ref, const char *base_file, char **err)
{
	char *s;
	size_t len;

	*err = NULL;
	if ((s = config_secret_fetch(ref, base_file, err)) == NULL)
		return NULL;
	len = strlen(s);
	if (len > 0 && s[len - 1] == '\n')
		s[--len] = '\0';
	if (len > 0 && s[len - 1] == '\r')
		s[--len] = '\0';
	if (len == 0) {
		xasprintf(err, "%s is empty", ref);
		free(s);
		return NULL;
	}
	return s;
}

/* Properties whose value is a secret itself (librdkafka's sensitive
   ones), beyond any name with "password" or "secret" in it. */
static const char *const config_secret_clear[] = {
	"ssl.key.pem", "ssl_key", "sasl.oauthbearer.config", NULL,
};

/* True when a property's value is itself a secret (config_secret.h). */
bool
config_secret_in_clear(const char *kafka_name)
{
	size_t i;

	if (strcasestr(kafka_name, "password") != NULL ||
	    strcasestr(kafka_name, "secret") != NULL)
		return true;
	for (i = 0; config_secret_clear[i] != NULL; i++)
		if (strcasecmp(kafka_name, config_secret_clear[i]) == 0)
			return true;
	return false;
}
