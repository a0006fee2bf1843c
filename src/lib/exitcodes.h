/*
 * exitcodes.h: both programs' exit statuses (a contract, see kconsumerd(8)
 * and kconsumerctl(1)).
 */
#ifndef KCONSUMERD_EXITCODES_H
#define KCONSUMERD_EXITCODES_H

#define EXIT_CLEAN	 0	/* clean stop */
#define EXIT_USAGE	64	/* EX_USAGE: bad command line */
#define EXIT_INTERNAL	70	/* EX_SOFTWARE: internal error */
#define EXIT_IOERR	74	/* EX_IOERR: the sink failed or abandoned
				   records (kconsumerctl: writing stdout) */
#define EXIT_KAFKA	76	/* EX_PROTOCOL: fatal Kafka error (fenced) */
#define EXIT_NOPERM	77	/* EX_NOPERM: the cluster refused the
				   credentials, or TLS failed */
#define EXIT_CONFIG	78	/* EX_CONFIG: invalid configuration */

/* kconsumerctl only (see kconsumerctl(1)). */
#define EXIT_NOINPUT	66	/* EX_NOINPUT: an input cannot be opened */
#define EXIT_UNAVAILABLE 69	/* EX_UNAVAILABLE: describe reached no
				   cluster */
#define EXIT_CANTCREAT	73	/* EX_CANTCREAT: an output cannot be written */

#endif
