/*
 * txproduce: a transactional producer for the live tests (kcat has no
 * transactions). Each SPEC is one transaction of N records spread round
 * robin over the topic's first P partitions:
 *
 *   txproduce BOOTSTRAP TOPIC P SPEC...
 *   SPEC: commit:N | abort:N | hold:N:MS (flushed, left open MS ms or
 *         until a SIGUSR1, then committed)
 *
 * Every transaction ends with a control record (marker) in each partition
 * it wrote to. Prints "committed=C aborted=A" and exits 0, or 1 with the
 * error on stderr.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#define TXPRODUCE_TIMEOUT_MS	30000

/* SIGUSR1 ends a hold: the handler only interrupts nanosleep. */
static void
txproduce_wake(int sig)
{
	(void)sig;
}

/* Die with the error of a transactional call. */
static void
txproduce_check(rd_kafka_error_t *err, const char *what)
{
	if (err == NULL)
		return;
	fprintf(stderr, "txproduce: %s: %s\n", what,
	    rd_kafka_error_string(err));
	exit(1);
}

/* One transaction of n records (numbered from *seq), committed or
   aborted, left open hold_ms first. */
static void
txproduce_one(rd_kafka_t *rk, const char *topic, int nparts, int n,
    int hold_ms, int commit, long *seq)
{
	rd_kafka_resp_err_t err;
	char value[64];
	int i;

	txproduce_check(rd_kafka_begin_transaction(rk), "begin");
	for (i = 0; i < n; i++, (*seq)++) {
		snprintf(value, sizeof value, "tx-%ld", *seq);
		err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
		    RD_KAFKA_V_PARTITION((int32_t)(*seq % nparts)),
		    RD_KAFKA_V_VALUE(value, strlen(value)),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "txproduce: produce: %s\n",
			    rd_kafka_err2str(err));
			exit(1);
		}
	}
	/* in the log before the transaction ends (an abort would purge
	   what was not sent yet) */
	rd_kafka_flush(rk, TXPRODUCE_TIMEOUT_MS);
	if (hold_ms > 0) {
		struct timespec ts = { hold_ms / 1000,
		    (long)(hold_ms % 1000) * 1000000 };

		nanosleep(&ts, NULL);	/* EINTR: woken by SIGUSR1 */
	}
	if (commit)
		txproduce_check(rd_kafka_commit_transaction(rk,
		    TXPRODUCE_TIMEOUT_MS), "commit");
	else
		txproduce_check(rd_kafka_abort_transaction(rk,
		    TXPRODUCE_TIMEOUT_MS), "abort");
}

int
main(int argc, char **argv)
{
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	char errstr[512], txid[64];
	long seq = 0, committed = 0, aborted = 0;
	int i, n, hold, nparts;

	if (argc < 5 || (nparts = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: txproduce BOOTSTRAP TOPIC PARTITIONS "
		    "commit:N|abort:N|hold:N:MS...\n");
		return 2;
	}
	signal(SIGUSR1, txproduce_wake);
	snprintf(txid, sizeof txid, "txproduce-%ld-%ld", (long)getpid(),
	    (long)time(NULL));
	conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr,
	    sizeof errstr) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "transactional.id", txid, errstr,
	    sizeof errstr) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "transaction.timeout.ms", "120000", errstr,
	    sizeof errstr) != RD_KAFKA_CONF_OK) {
		fprintf(stderr, "txproduce: %s\n", errstr);
		return 1;
	}
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr,
	    sizeof errstr)) == NULL) {
		fprintf(stderr, "txproduce: %s\n", errstr);
		return 1;
	}
	txproduce_check(rd_kafka_init_transactions(rk, TXPRODUCE_TIMEOUT_MS),
	    "init");
	for (i = 4; i < argc; i++) {
		hold = 0;
		if (sscanf(argv[i], "commit:%d", &n) == 1) {
			txproduce_one(rk, argv[2], nparts, n, 0, 1, &seq);
			committed += n;
		} else if (sscanf(argv[i], "abort:%d", &n) == 1) {
			txproduce_one(rk, argv[2], nparts, n, 0, 0, &seq);
			aborted += n;
		} else if (sscanf(argv[i], "hold:%d:%d", &n, &hold) == 2) {
			txproduce_one(rk, argv[2], nparts, n, hold, 1, &seq);
			committed += n;
		} else {
			fprintf(stderr, "txproduce: bad spec %s\n", argv[i]);
			return 2;
		}
	}
	rd_kafka_destroy(rk);
	printf("committed=%ld aborted=%ld\n", committed, aborted);
	return 0;
}
