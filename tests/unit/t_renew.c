/*
 * t_renew.c: SIGHUP's renewal of the SASL credentials given by
 * reference: renew_reload reads the references again and publishes the
 * user name and password (a new generation each time); a reference that
 * cannot be read keeps what was published; a configuration with no
 * reference publishes nothing; renew_apply hands a generation to a
 * librdkafka handle once.
 */
#include "autoconf.h"

#include <stdlib.h>

#include "buf.h"
#include "config_fixture.h"
#include "log.h"
#include "renew.h"
#include "../tap.h"
#include "log_fixture.h"

/* The published pair as "user/password" (to free). */
static char *
published(struct renew *r)
{
	char *s;

	xasprintf(&s, "%s/%s", r->username ? r->username : "(null)",
	    r->password ? r->password : "(null)");
	return s;
}

int
main(void)
{
	struct config *cfg, *plain;
	struct renew r;
	char *diags, *s, errstr[256];
	const char *user, *pw;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	unsigned seen = 0;

	fixture_init();
	fixture_log_start(LOG_FORMAT_TEXT);
	user = fixture_write("user", "alice\n");
	pw = fixture_write("pw", "first\n");
	cfg = fixture_load("r.conf", "kafka = { bootstrap_servers = \"b:1\";\n"
	    "  security_protocol = \"SASL_PLAINTEXT\";\n"
	    "  sasl_mechanisms = \"PLAIN\";\n"
	    "  sasl_username = \"@file:user\";\n"
	    "  sasl_password = \"@file:pw\"; };\n"
	    "group = { id = \"g\"; };\ntopics = [ \"t\" ];\n", &diags);
	ok(cfg != NULL, "a configuration with the SASL pair by reference loads");
	free(diags);
	if (cfg == NULL)
		return tap_done();

	renew_init(&r);
	is_int(atomic_load(&r.gen), 0, "nothing is published before a SIGHUP");
	fixture_write("pw", "second\n");
	renew_reload(&r, cfg);
	is_int(atomic_load(&r.gen), 1, "a reload publishes one generation");
	s = published(&r);
	is_str(s, "alice/second", "with the user and the renewed password");
	free(s);

	unlink(pw);
	renew_reload(&r, cfg);
	is_int(atomic_load(&r.gen), 1, "a password that cannot be read "
	    "publishes nothing");
	s = published(&r);
	is_str(s, "alice/second", "and what was published stays");
	free(s);
	like(buf_str(&fixture_log_lines),
	    "event=renew_failed property=sasl.password",
	    "the unreadable reference is logged by its property");
	fixture_write("pw", "third");
	fixture_write("user", "bob");
	renew_reload(&r, cfg);
	s = published(&r);
	is_str(s, "bob/third", "both renewed together");
	free(s);
	(void)user;

	conf = config_kafka_conf(cfg, 0, errstr, sizeof errstr);
	rk = conf != NULL ? rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr,
	    sizeof errstr) : NULL;
	ok(rk != NULL, "a consumer handle is made (%s)", rk ? "ok" : errstr);
	if (rk != NULL) {
		renew_apply(&r, rk, &seen, 0);
		is_int(seen, 2, "renew_apply takes the newest generation");
		renew_apply(&r, rk, &seen, 0);
		is_int(seen, 2, "and nothing more until the next one");
		renew_apply(NULL, rk, &seen, 0);
		is_int(seen, 2, "a member with no renewal slot (the demo) "
		    "is left alone");
		rd_kafka_destroy(rk);
	}
	renew_free(&r);

	plain = fixture_load("p.conf", "kafka = { bootstrap_servers = \"b:1\";"
	    " };\ngroup = { id = \"g\"; };\ntopics = [ \"t\" ];\n", &diags);
	free(diags);
	renew_init(&r);
	renew_reload(&r, plain);
	is_int(atomic_load(&r.gen), 0, "with no reference a reload publishes "
	    "nothing");
	renew_free(&r);
	like(buf_str(&fixture_log_lines),
	    "event=renew renewed=sasl.username,sasl.password",
	    "a renewal is logged by the properties it renewed");
	ok(strstr(buf_str(&fixture_log_lines), "second") == NULL &&
	    strstr(buf_str(&fixture_log_lines), "third") == NULL,
	    "no log line holds a password");
	config_free(plain);
	config_free(cfg);
	fixture_cleanup();
	fixture_log_stop();
	return tap_done();
}
