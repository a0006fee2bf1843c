/*
 * t_config_input.c: what the front-ends make of unusual input: a UTF-8
 * byte order mark is accepted by both; a NUL byte in a libconfig file is
 * refused at its line (libconfig would cut the string there); nesting too
 * deep for libconfig's parser says so instead of "memory exhausted"; a
 * directory given as the file says it is a directory; YAML reader errors
 * (a control character, invalid UTF-8, a NUL) give their own line.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config_fixture.h"
#include "../tap.h"

#define C_BODY	"kafka = { bootstrap_servers = \"h:9092\"; };\n" \
	"group = { id = \"g\"; };\ntopics = [ \"t\" ];\n"
#define Y_BODY	"kafka:\n  bootstrap.servers: h:9092\ngroup:\n  id: g\n" \
	"topics: [t]\n"

/* Write len bytes of data to a fixture file called name. */
static const char *
write_bytes(const char *name, const char *data, size_t len)
{
	const char *path = fixture_write(name, "");
	FILE *fp = fopen(path, "w");

	fwrite(data, 1, len, fp);
	fclose(fp);
	return path;
}

/* Load a fixture file; the diagnostics into *diags. */
static struct config *
load(const char *path, char **diags)
{
	return fixture_load_path(path, 0, diags, NULL);
}

int
main(void)
{
	struct config *cfg;
	struct buf b;
	char *diags;
	int i;

	fixture_init();

	cfg = fixture_load("bom.conf", "\xef\xbb\xbf" C_BODY, &diags);
	ok(cfg != NULL, "libconfig: a file starting with a UTF-8 BOM loads");
	is_str(diags, "", "libconfig: without any diagnostic");
	config_free(cfg);
	free(diags);
	cfg = fixture_load("bom.yaml", "\xef\xbb\xbf" Y_BODY, &diags);
	ok(cfg != NULL, "YAML: a file starting with a UTF-8 BOM loads");
	config_free(cfg);
	free(diags);

	{
		static const char nul[] = "kafka = { bootstrap_servers = "
		    "\"h:9092\"; };\ngroup = { id = \"g\\0hidden\"; };\n"
		    "topics = [ \"t\" ];\n";
		char text[sizeof nul];

		memcpy(text, nul, sizeof nul);
		*strstr(text, "\\0") = '\0';	/* a real NUL byte */
		cfg = load(write_bytes("nul.conf", text, sizeof text - 1),
		    &diags);
	}
	ok(cfg == NULL, "libconfig: a NUL byte inside a string is refused");
	like(diags, "nul.conf:2: error: a NUL byte", "libconfig: the error "
	    "gives the NUL's line");
	config_free(cfg);
	free(diags);

	buf_init(&b);
	buf_adds(&b, C_BODY "x = ");
	for (i = 0; i < 10000; i++)
		buf_adds(&b, "( ");
	for (i = 0; i < 10000; i++)
		buf_adds(&b, ") ");
	buf_adds(&b, ";\n");
	cfg = fixture_load("deep.conf", buf_str(&b), &diags);
	ok(cfg == NULL, "libconfig: 10000 nested lists are refused");
	like(diags, "nested too deeply", "libconfig: the error says the "
	    "nesting is too deep, not \"memory exhausted\"");
	config_free(cfg);
	free(diags);
	buf_free(&b);

	{
		static const char *const bad[] = { "\x01", "\xff", "" };
		static const char *const what[] = { "a control character",
		    "invalid UTF-8", "a NUL byte" };
		char text[256];
		size_t len;

		for (i = 0; i < 3; i++) {
			len = (size_t)snprintf(text, sizeof text, "%s",
			    Y_BODY "sink:\n  command: \"x");
			memcpy(text + len, bad[i], 1);
			len++;
			len += (size_t)snprintf(text + len, sizeof text - len,
			    "\"\n");
			cfg = load(write_bytes("reader.yaml", text, len),
			    &diags);
			ok(cfg == NULL, "YAML: %s is refused", what[i]);
			like(diags, "reader.yaml:7: error:", "YAML: at its "
			    "line (7), not line 1 (%s)", what[i]);
			config_free(cfg);
			free(diags);
		}
	}

	cfg = load(fixture_dir, &diags);
	ok(cfg == NULL, "a directory is refused");
	like(diags, "is a directory, not a configuration file", "the error "
	    "says it is a directory, not \"input error\"");
	config_free(cfg);
	free(diags);

	fixture_cleanup();
	return tap_done();
}
