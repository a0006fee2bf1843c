/*
 * renew.c: SIGHUP renews the SASL credentials given by reference
 * (renew.h). A reference that cannot be read keeps the credentials read
 * before; no value is ever logged, only property names.
 *
 * renew_init, renew_free, renew_reload: main thread; renew_apply: each
 * member's thread (it alone touches its rd_kafka_t).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "config_secret.h"
#include "log.h"
#include "renew.h"
#include "xmalloc.h"

/* Set up an empty renewal slot (nothing published). */
void
renew_init(struct renew *r)
{
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->mtx, NULL);
	atomic_init(&r->gen, 0);
}

/* Free the slot (the members have stopped). */
void
renew_free(struct renew *r)
{
	free(r->username);
	free(r->password);
	pthread_mutex_destroy(&r->mtx);
}

/* Read one property's reference again: the new value (to be freed), or
   NULL (logged) when it cannot be read. */
static char *
renew_read(const struct config_kafka_prop *p)
{
	struct logrec *lr;
	char *err, *v;

	if ((v = config_secret_read(p->ref, p->file, &err)) != NULL)
		return v;
	lr = logrec_new(LOG_LEVEL_WARN, "renew_failed");
	logrec_str(lr, "property", p->name);
	logrec_str(lr, "error", err);
	logrec_str(lr, "next", "the value read before stays in use");
	logrec_emit(lr);
	free(err);
	return NULL;
}

/* Publish a user name and password for the members to apply. */
static void
renew_publish(struct renew *r, char *username, char *password)
{
	pthread_mutex_lock(&r->mtx);
	free(r->username);
	free(r->password);
	r->username = username;
	r->password = password;
	atomic_fetch_add(&r->gen, 1);
	pthread_mutex_unlock(&r->mtx);
}

/*
 * SIGHUP: read every reference of cfg again. A new sasl.username or
 * sasl.password is published for the members (both, or neither when one
 * cannot be read: the pair in use stays); another property whose secret
 * changed is named as waiting for a restart.
 */
void
renew_reload(struct renew *r, const struct config *cfg)
{
	const struct config_kafka_prop *p;
	struct buf later;
	struct logrec *lr;
	char *user = NULL, *pass = NULL, *v;
	bool sasl_ref = false, sasl_failed = false;
	size_t i, nref = 0;

	buf_init(&later);
	for (i = 0; i < cfg->nkafka; i++) {
		p = &cfg->kafka[i];
		if (p->ref == NULL)
			continue;
		nref++;
		if ((v = renew_read(p)) == NULL) {
			if (strcmp(p->name, "sasl.username") == 0 ||
			    strcmp(p->name, "sasl.password") == 0)
				sasl_failed = true;
			continue;
		}
		if (strcmp(p->name, "sasl.username") == 0) {
			sasl_ref = true;
			user = v;
		} else if (strcmp(p->name, "sasl.password") == 0) {
			sasl_ref = true;
			pass = v;
		} else {
			if (strcmp(v, p->value) != 0)
				buf_printf(&later, "%s%s", later.len > 0 ?
				    "," : "", p->name);
			free(v);
		}
	}
	if (user == NULL && config_kafka_get(cfg, "sasl.username") != NULL)
		user = xstrdup(config_kafka_get(cfg, "sasl.username"));
	if (pass == NULL && config_kafka_get(cfg, "sasl.password") != NULL)
		pass = xstrdup(config_kafka_get(cfg, "sasl.password"));
	if (nref == 0) {
		/* nothing given by reference: nothing to renew or say */
		free(user);
		free(pass);
		buf_free(&later);
		return;
	}
	lr = logrec_new(LOG_LEVEL_INFO, "renew");
	if (sasl_ref && !sasl_failed && user != NULL && pass != NULL) {
		renew_publish(r, user, pass);
		logrec_str(lr, "renewed", "sasl.username,sasl.password");
		logrec_str(lr, "next", "new connections authenticate with "
		    "them");
	} else {
		free(user);
		free(pass);
		logrec_str(lr, "renewed", "");
	}
	if (later.len > 0)
		logrec_str(lr, "changed_at_restart", buf_str(&later));
	logrec_emit(lr);
	buf_free(&later);
}

/* A member's thread: hand credentials published since *seen to rk. */
void
renew_apply(struct renew *r, rd_kafka_t *rk, unsigned *seen, int consumer)
{
	rd_kafka_error_t *error;
	struct logrec *lr;
	unsigned gen;

	if (r == NULL || (gen = atomic_load(&r->gen)) == *seen)
		return;
	pthread_mutex_lock(&r->mtx);
	gen = atomic_load(&r->gen);
	error = rd_kafka_sasl_set_credentials(rk, r->username, r->password);
	pthread_mutex_unlock(&r->mtx);
	*seen = gen;
	if (error == NULL)
		return;
	lr = logrec_new(LOG_LEVEL_WARN, "renew_failed");
	logrec_int(lr, "consumer", consumer);
	logrec_str(lr, "error", rd_kafka_error_string(error));
	logrec_emit(lr);
	rd_kafka_error_destroy(error);
}
