/*
 * member_denied.c: the cluster refused a member for good (member_denied.h):
 * which errors mean that, what they most likely mean, and the broker
 * certificate's verdict that librdkafka's own message leaves out
 * (OpenSSL 3 reports every verification failure as "certificate verify
 * failed").
 *
 * member_denied_cert_cb: librdkafka's broker threads (it touches only
 * the member's atomic cert_error, cert_depth); the rest: the member's
 * own thread.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "log.h"
#include "member.h"
#include "member_denied.h"

/* OpenSSL's verification results (X509_V_ERR_*, <openssl/x509_vfy.h>:
   stable numbers, named here so that we need not link OpenSSL). */
#define X509_ERR_CERT_NOT_YET_VALID	 9
#define X509_ERR_CERT_HAS_EXPIRED	10
#define X509_ERR_HOSTNAME_MISMATCH	62
#define X509_ERR_IP_ADDRESS_MISMATCH	64

/* What OpenSSL's verification result x509_error means for the broker's
   certificate (depth 0) or a CA of its chain (depth > 0). */
static const char *
member_denied_x509_text(int x509_error, int depth)
{
	switch (x509_error) {
	case X509_ERR_CERT_HAS_EXPIRED:
		return depth == 0 ? "the broker's certificate has expired "
		    "(its notAfter has passed): the broker needs a renewed "
		    "certificate" : "a CA certificate of the broker's chain "
		    "has expired (its notAfter has passed)";
	case X509_ERR_CERT_NOT_YET_VALID:
		return depth == 0 ? "the broker's certificate is not yet "
		    "valid (its notBefore is in the future: check this "
		    "host's clock)" : "a CA certificate of the broker's chain "
		    "is not yet valid (its notBefore is in the future: check "
		    "this host's clock)";
	case X509_ERR_HOSTNAME_MISMATCH:
	case X509_ERR_IP_ADDRESS_MISMATCH:
		return "the broker's certificate does not name the host "
		    "connected to (bootstrap.servers, "
		    "ssl.endpoint.identification.algorithm)";
	default:
		return "the broker's certificate is not trusted "
		    "(ssl.ca.location, ssl.ca.pem)";
	}
}

/*
 * librdkafka's certificate verification callback: OpenSSL's verdict
 * stands (a certificate passes when *x509_error is 0); a failure is
 * remembered for the cause of the fatal event and said in errstr, which
 * librdkafka logs with the certificate's subject and issuer.
 */
static int
member_denied_cert_cb(rd_kafka_t *rk, const char *broker_name,
    int32_t broker_id, int *x509_error, int depth, const char *buf,
    size_t size, char *errstr, size_t errstr_size, void *opaque)
{
	struct member *m = opaque;

	(void)rk;
	(void)broker_name;
	(void)broker_id;
	(void)buf;
	(void)size;
	if (*x509_error == 0)
		return 1;
	atomic_store(&m->cert_depth, depth);
	atomic_store(&m->cert_error, *x509_error);
	snprintf(errstr, errstr_size, "%s (X509 error %d at depth %d)",
	    member_denied_x509_text(*x509_error, depth), *x509_error, depth);
	return 0;
}

/* Add the certificate verification callback to a member's librdkafka
   configuration (refused quietly by a librdkafka without TLS). */
void
member_denied_conf(struct member *m, rd_kafka_conf_t *conf)
{
	atomic_store(&m->cert_error, 0);
	atomic_store(&m->cert_depth, 0);
	(void)rd_kafka_conf_set_ssl_cert_verify_cb(conf,
	    member_denied_cert_cb);
}

/*
 * True when err is a broker refusing the user name a SIGHUP renewed on
 * a connection authenticated as the previous one: librdkafka 2.2 and
 * later re-authenticate a connection in place when the broker's
 * connections.max.reauth.ms ends its session (KIP-368), and Kafka does
 * not let a connection change principal. Not a refusal of the new
 * credentials: the broker closes that connection and librdkafka makes a
 * new one, which authenticates as the new user.
 */
bool
member_denied_reauth_user(const struct member *m, int err,
    const char *reason)
{
	return err == RD_KAFKA_RESP_ERR__AUTHENTICATION && m->renew_seen > 0 &&
	    reason != NULL &&
	    strstr(reason, "Cannot change principals during re-auth") != NULL;
}

/* True when an error means the cluster refused us for good: SASL
   credentials refused (but for member_denied_reauth_user), a TLS
   handshake failed, or (TLS 1.3, where the broker judges the client's
   certificate after the handshake) a TLS alert ended the connection. */
bool
member_denied_is(const struct member *m, int err, const char *reason)
{
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION)
		return !member_denied_reauth_user(m, err, reason);
	if (err == RD_KAFKA_RESP_ERR__SSL)
		return true;
	return err == RD_KAFKA_RESP_ERR__TRANSPORT && reason != NULL &&
	    strstr(reason, "SSL routines") != NULL &&
	    strstr(reason, " alert ") != NULL;
}

/* True when the SASL mechanism is SCRAM and librdkafka predates 2.6.1,
   whose SCRAM Kafka 4 brokers refuse (librdkafka#4895). */
static bool
member_denied_old_scram(const struct config *cfg)
{
	const char *mech = config_kafka_get(cfg, "sasl.mechanisms");

	if (mech == NULL)
		mech = config_kafka_get(cfg, "sasl.mechanism");
	return mech != NULL && strncasecmp(mech, "SCRAM", 5) == 0 &&
	    rd_kafka_version() < 0x020601ff;
}

/* What an authentication or TLS failure most likely means, from
   librdkafka's reason (OpenSSL's and the broker's words) and the
   certificate verification's result. */
static const char *
member_denied_cause(struct member *m, int err, const char *reason)
{
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION &&
	    member_denied_old_scram(m->shared->cfg))
		return "the cluster refused the SASL credentials (unknown "
		    "user or wrong password: sasl.username, sasl.password); "
		    "or a Kafka 4 broker refused the SCRAM of librdkafka "
		    "before 2.6.1 (librdkafka#4895)";
	if (err == RD_KAFKA_RESP_ERR__AUTHENTICATION)
		return "the cluster refused the SASL credentials (unknown "
		    "user or wrong password: sasl.username, sasl.password)";
	if (strstr(reason, "certificate verify failed") != NULL)
		return member_denied_x509_text(atomic_load(&m->cert_error),
		    atomic_load(&m->cert_depth));
	if (strstr(reason, " alert ") != NULL)
		return "the broker refused this client's certificate (expired, "
		    "not signed by a CA it trusts, or missing: "
		    "ssl.certificate.location, ssl.key.location)";
	return "the TLS handshake failed";
}

/* An authentication or TLS failure: log it once with its cause and stop
   everything; the process exits 77 (restarting would not help). */
void
member_denied(struct member *m, int err, const char *reason)
{
	struct logrec *r;
	int x509;

	if (m->fatal_logged)
		return;
	m->fatal_logged = true;
	r = member_logrec(m, LOG_LEVEL_ERROR, "fatal");
	logrec_str(r, "error", rd_kafka_err2name(err));
	logrec_str(r, "cause", member_denied_cause(m, err, reason));
	if ((x509 = atomic_load(&m->cert_error)) != 0 &&
	    strstr(reason, "certificate verify failed") != NULL)
		logrec_int(r, "x509_error", x509);
	logrec_str(r, "msg", reason);
	member_end_fatal(m, r, err, MEMBER_DENIED);
}
