/*
 * member_denied.h: when the cluster refuses a member for good: SASL
 * credentials refused, a TLS handshake failed, the broker refused the
 * client's certificate. Such a refusal ends the process with exit 77 and
 * one event=fatal whose cause names it; the broker's certificate is
 * judged in a verification callback that keeps OpenSSL's verdict and
 * remembers why it failed (expired, not yet valid, untrusted, ...).
 * Not a refusal: a broker refusing, on re-authentication, the user name
 * a SIGHUP renewed (member_denied_reauth_user): librdkafka reconnects.
 *
 * member_denied_cert_cb: librdkafka's broker threads; the rest: the
 * member's own thread.
 */
#ifndef KCONSUMERD_MEMBER_DENIED_H
#define KCONSUMERD_MEMBER_DENIED_H

#include <stdbool.h>
#include <stddef.h>

#include <librdkafka/rdkafka.h>

struct member;

void member_denied_conf(struct member *m, rd_kafka_conf_t *conf);
bool member_denied_reauth_user(const struct member *m, int err,
    const char *reason);
bool member_denied_is(const struct member *m, int err, const char *reason);
void member_denied(struct member *m, int err, const char *reason);

#endif
