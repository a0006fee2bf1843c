/*
 * config_fixture.h: configuration files for the config tests, written to
 * a private temporary directory, loaded, and their diagnostics and
 * --print-config output captured as strings; the host name %h expands
 * from is the fixture's (a test seam, below).
 */
#ifndef KCONSUMERD_CONFIG_FIXTURE_H
#define KCONSUMERD_CONFIG_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "xmalloc.h"

static char fixture_dir[] = "/tmp/kconsumerd-config-XXXXXX";
static char *fixture_files[256];
static size_t fixture_nfiles;

/* Make the temporary directory; exit when that fails. */
static inline void
fixture_init(void)
{
	if (mkdtemp(fixture_dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

/* Remove every file written, then the directory. */
static inline void
fixture_cleanup(void)
{
	size_t i;

	for (i = 0; i < fixture_nfiles; i++) {
		unlink(fixture_files[i]);
		free(fixture_files[i]);
	}
	rmdir(fixture_dir);
}

/* The path of a file called name in the directory (to be freed). */
static inline char *
fixture_path(const char *name)
{
	char *path;

	xasprintf(&path, "%s/%s", fixture_dir, name);
	return path;
}

/* Write text to a file called name; returns its path (owned here). */
static inline const char *
fixture_write(const char *name, const char *text)
{
	char *path = fixture_path(name);
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
	if (fixture_nfiles < sizeof fixture_files / sizeof *fixture_files)
		fixture_files[fixture_nfiles++] = path;
	return path;
}

/* Load path; *diags receives what diag_print would print (to free). */
static inline struct config *
fixture_load_path(const char *path, int flags, char **diags, int *nerrors)
{
	struct config *cfg;
	struct diag d;
	size_t len;
	FILE *fp;

	diag_init(&d);
	cfg = config_load(path, flags, &d);
	fp = open_memstream(diags, &len);
	diag_print(&d, fp);
	fclose(fp);
	if (nerrors != NULL)
		*nerrors = d.nerrors;
	diag_free(&d);
	return cfg;
}

/* Write text to a file called name and load it. */
static inline struct config *
fixture_load(const char *name, const char *text, char **diags)
{
	return fixture_load_path(fixture_write(name, text), 0, diags, NULL);
}

/* What config_print prints for cfg (to free). */
static inline char *
fixture_print(const struct config *cfg)
{
	char *out;
	size_t len;
	FILE *fp;

	fp = open_memstream(&out, &len);
	config_print(cfg, fp);
	fclose(fp);
	return out;
}

/* A file under $top_srcdir (to free). */
/* The line of a configuration text marked "#<" (where a test expects
   its error), or 0. */
static inline int
fixture_marker_line(const char *text)
{
	const char *mark = strstr(text, "#<"), *p;
	int line = 1;

	if (mark == NULL)
		return 0;
	for (p = text; p < mark; p++)
		if (*p == '\n')
			line++;
	return line;
}

static inline char *
fixture_srcdir_path(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *path;

	xasprintf(&path, "%s/%s", top != NULL ? top : ".", rel);
	return path;
}

/*
 * The test seam for %h: this program's gethostname(2), in place of libc's
 * (the test's definition wins when the program is linked), answers with
 * fixture_host, or fails when it is NULL. The tests set a known name and
 * check the short name they expect, written out (FIXTURE_SHORT_HOST).
 */
#define FIXTURE_HOST		"kc-node7.example.org"
#define FIXTURE_SHORT_HOST	"kc-node7"
static const char *fixture_host = FIXTURE_HOST;

int
gethostname(char *name, size_t len)
{
	if (fixture_host == NULL) {
		errno = EPERM;
		return -1;
	}
	if (strlen(fixture_host) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(name, fixture_host);
	return 0;
}

#endif
