/*
 * t_config_secret.c: secrets by reference. @file:, @credential: and
 * @env: values are read at load time, in both syntaxes; the value goes to
 * librdkafka, --print-config shows the reference; a reference that
 * cannot be read is an error at its file:line; "@@" escapes; a secret in
 * clear in a file others can read is warned about.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <stdlib.h>

#include "config_fixture.h"
#include "config_secret.h"
#include "../tap.h"

/* The value librdkafka gets for a property of consumer 0 (to free). */
static char *
conf_value(const struct config *cfg, const char *name)
{
	char errstr[256], buf[4096];
	size_t len = sizeof buf;
	rd_kafka_conf_t *conf = config_kafka_conf(cfg, 0, errstr,
	    sizeof errstr);

	if (conf == NULL)
		return NULL;
	if (rd_kafka_conf_get(conf, name, buf, &len) != RD_KAFKA_CONF_OK)
		buf[0] = '\0';
	rd_kafka_conf_destroy(conf);
	return xstrdup(buf);
}

/* A libconfig file with one kafka property written as value (chmod 600). */
static struct config *
load_with(const char *name, const char *prop, const char *value,
    char **diags)
{
	char *text;
	const char *path;
	struct config *cfg;

	xasprintf(&text, "kafka = { bootstrap_servers = \"b:1\";\n"
	    "  %s = \"%s\"; };\ngroup = { id = \"g\"; };\n"
	    "topics = [ \"t\" ];\n", prop, value);
	path = fixture_write(name, text);
	chmod(path, 0600);
	cfg = fixture_load_path(path, 0, diags, NULL);
	free(text);
	return cfg;
}

static void
test_kinds(void)
{
	is_int(config_secret_kind("hunter2"), CONFIG_SECRET_LITERAL,
	    "a plain value is a literal");
	is_int(config_secret_kind("@file:/x"), CONFIG_SECRET_REFERENCE,
	    "@file: is a reference");
	is_int(config_secret_kind("@credential:x"), CONFIG_SECRET_REFERENCE,
	    "@credential: is a reference");
	is_int(config_secret_kind("@env:X"), CONFIG_SECRET_REFERENCE,
	    "@env: is a reference");
	is_int(config_secret_kind("@@file:/x"), CONFIG_SECRET_ESCAPED,
	    "@@file: is an escaped literal");
	is_int(config_secret_kind("@vault:x"), CONFIG_SECRET_UNKNOWN,
	    "@vault: is a reference of no known scheme");
	is_int(config_secret_kind("@!x:y"), CONFIG_SECRET_LITERAL,
	    "a password that merely starts with @ is a literal");
	ok(config_secret_in_clear("sasl.password") &&
	    config_secret_in_clear("ssl.key.pem") &&
	    config_secret_in_clear("sasl.oauthbearer.client.secret") &&
	    !config_secret_in_clear("ssl.key.location") &&
	    !config_secret_in_clear("sasl.username"),
	    "secrets in clear: passwords, keys, client secrets; not paths");
}

static void
test_file(void)
{
	struct config *cfg;
	char *diags, *v, *out;

	fixture_write("pw", "s3cr3t-file\n");
	cfg = load_with("file.conf", "sasl_password", "@file:pw", &diags);
	ok(cfg != NULL, "a relative @file: is read from the "
	    "configuration's folder");
	is_str(diags, "", "no diagnostic for a secret given by reference");
	v = cfg != NULL ? conf_value(cfg, "sasl.password") : NULL;
	is_str(v, "s3cr3t-file", "librdkafka gets the file's content, "
	    "without its trailing newline");
	out = cfg != NULL ? fixture_print(cfg) : NULL;
	like(out, "kafka.sasl.password = \"@file:pw\"\n",
	    "--print-config shows the reference");
	ok(out != NULL && strstr(out, "s3cr3t-file") == NULL,
	    "--print-config never shows the secret");
	free(v);
	free(out);
	free(diags);
	config_free(cfg);

	cfg = load_with("missing.conf", "sasl_password", "@file:/nonexistent/pw",
	    &diags);
	ok(cfg == NULL, "a @file: that cannot be read refuses the "
	    "configuration");
	like(diags, "missing.conf:2: error: kafka property 'sasl_password': "
	    "@file:/nonexistent/pw: cannot open /nonexistent/pw: No such file",
	    "the error names the file:line and why");
	free(diags);

	fixture_write("empty", "\n");
	cfg = load_with("empty.conf", "sasl_password", "@file:empty", &diags);
	ok(cfg == NULL, "an empty secret is refused");
	like(diags, "empty.conf:2: error: kafka property 'sasl_password': "
	    "@file:empty is empty", "the error says it is empty");
	free(diags);
}

static void
test_credential(void)
{
	struct config *cfg;
	char *diags, *v;

	unsetenv("CREDENTIALS_DIRECTORY");
	cfg = load_with("cred0.conf", "sasl_password", "@credential:kafka-pw",
	    &diags);
	ok(cfg == NULL, "@credential: without CREDENTIALS_DIRECTORY is "
	    "refused");
	like(diags, "cred0.conf:2: error: kafka property 'sasl_password': "
	    "@credential:kafka-pw: CREDENTIALS_DIRECTORY is not set",
	    "the error says CREDENTIALS_DIRECTORY is missing");
	free(diags);

	fixture_write("kafka-pw", "s3cr3t-cred");
	setenv("CREDENTIALS_DIRECTORY", fixture_dir, 1);
	cfg = load_with("cred1.conf", "sasl_password", "@credential:kafka-pw",
	    &diags);
	v = cfg != NULL ? conf_value(cfg, "sasl.password") : NULL;
	is_str(v, "s3cr3t-cred", "@credential:NAME reads "
	    "$CREDENTIALS_DIRECTORY/NAME");
	free(v);
	free(diags);
	config_free(cfg);

	cfg = load_with("cred2.conf", "sasl_password", "@credential:../pw",
	    &diags);
	ok(cfg == NULL && strstr(diags, "a credential's name is one file "
	    "name") != NULL, "a credential's name cannot leave the folder");
	free(diags);
	unsetenv("CREDENTIALS_DIRECTORY");
}

static void
test_env_and_escape(void)
{
	struct config *cfg;
	char *diags, *v, *out;

	setenv("KCD_TEST_SECRET", "s3cr3t-env", 1);
	cfg = load_with("env.conf", "sasl_password", "@env:KCD_TEST_SECRET",
	    &diags);
	v = cfg != NULL ? conf_value(cfg, "sasl.password") : NULL;
	is_str(v, "s3cr3t-env", "@env:NAME reads the environment");
	free(v);
	free(diags);
	config_free(cfg);
	unsetenv("KCD_TEST_SECRET");
	cfg = load_with("env2.conf", "sasl_password", "@env:KCD_TEST_SECRET",
	    &diags);
	like(diags, "env2.conf:2: error: kafka property 'sasl_password': "
	    "@env:KCD_TEST_SECRET: the environment variable KCD_TEST_SECRET "
	    "is not set", "an unset variable is an error at its line");
	free(diags);

	cfg = load_with("esc.conf", "client_id", "@@file:x", &diags);
	v = cfg != NULL ? conf_value(cfg, "client.id") : NULL;
	is_str(v, "@file:x", "@@file: stands for the literal @file:");
	free(v);
	free(diags);
	config_free(cfg);

	cfg = load_with("unk.conf", "client_id", "@vault:x", &diags);
	like(diags, "unk.conf:2: warning: kafka property 'client_id' starts "
	    "like a reference but names no known scheme",
	    "an unknown scheme is warned about");
	out = cfg != NULL ? fixture_print(cfg) : NULL;
	like(out, "kafka.client.id = \"@vault:x\"", "and taken as written");
	free(out);
	free(diags);
	config_free(cfg);
}

static void
test_yaml(void)
{
	struct config *cfg;
	char *diags, *v, *out;
	const char *path;

	fixture_write("ypw", "s3cr3t-yaml\n");
	path = fixture_write("y.yaml", "kafka:\n  bootstrap.servers: b:1\n"
	    "  sasl.password: \"@file:ypw\"\ngroup: {id: g}\ntopics: [t]\n");
	chmod(path, 0600);
	cfg = fixture_load_path(path, 0, &diags, NULL);
	v = cfg != NULL ? conf_value(cfg, "sasl.password") : NULL;
	is_str(v, "s3cr3t-yaml", "YAML takes the same (quoted) reference");
	out = cfg != NULL ? fixture_print(cfg) : NULL;
	like(out, "kafka.sasl.password = \"@file:ypw\"\n",
	    "and prints the reference");
	free(out);
	free(v);
	free(diags);
	config_free(cfg);
}

static void
test_clear_warning(void)
{
	struct config *cfg;
	char *diags;
	const char *path;

	path = fixture_write("clear.conf", "kafka = { bootstrap_servers = "
	    "\"b:1\";\n  sasl_password = \"hunter2\"; };\n"
	    "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n");
	chmod(path, 0644);
	cfg = fixture_load_path(path, 0, &diags, NULL);
	ok(cfg != NULL, "a secret in clear still loads");
	like(diags, "clear.conf:2: warning: kafka property 'sasl.password' "
	    "holds a secret in clear in a file others can read (mode 0644)",
	    "a secret in clear in a world-readable file is warned about");
	ok(strstr(diags, "hunter2") == NULL, "the warning does not show it");
	free(diags);
	config_free(cfg);
	chmod(path, 0640);
	cfg = fixture_load_path(path, 0, &diags, NULL);
	is_str(diags, "", "no warning once others cannot read the file");
	free(diags);
	config_free(cfg);
}

int
main(void)
{
	fixture_init();
	test_kinds();
	test_file();
	test_credential();
	test_env_and_escape();
	test_yaml();
	test_clear_warning();
	fixture_cleanup();
	return tap_done();
}
