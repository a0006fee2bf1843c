/*
 * renew.h: SIGHUP renews the SASL credentials given by reference. The
 * main thread reads the references again (renew_reload) and publishes
 * the new user name and password; each member's thread hands them to its
 * own librdkafka handle (renew_apply), which uses them for every new
 * connection. Other secrets (TLS keys, certificates) take effect on a
 * restart: librdkafka cannot change them on a running handle.
 *
 * renew_reload: main thread; renew_apply: each member's thread.
 */
#ifndef KCONSUMERD_RENEW_H
#define KCONSUMERD_RENEW_H

#include <pthread.h>
#include <stdatomic.h>

#include <librdkafka/rdkafka.h>

struct config;

struct renew {
	pthread_mutex_t	 mtx;
	atomic_uint	 gen;		/* bumped on each new pair */
	char		*username;	/* under mtx */
	char		*password;	/* under mtx */
};

void renew_init(struct renew *r);
void renew_free(struct renew *r);
void renew_reload(struct renew *r, const struct config *cfg);
void renew_apply(struct renew *r, rd_kafka_t *rk, unsigned *seen,
    int consumer);

#endif
