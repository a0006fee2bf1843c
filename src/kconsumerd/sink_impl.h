/*
 * sink_impl.h: what sink.c shares with its backends (stdout and none in
 * sink.c, sink_file.c, sink_exec.c): the table of operations a backend
 * fills in, the state every backend shares, and the retry and sleep
 * helpers. A backend's own state is private to its file: its open puts
 * it in s->state, its close frees it.
 *
 * Backend operations run with the sink's lock held, on whichever consumer
 * thread called sink_write / sink_flush; open and close run on the thread
 * that calls sink_open / sink_close.
 */
#ifndef KCONSUMERD_SINK_IMPL_H
#define KCONSUMERD_SINK_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#include <sys/types.h>

struct config;
struct sink;
struct sink_dead_letter;
struct sink_record;

#define SINK_BACKOFF_MIN_MS	100
#define SINK_BACKOFF_MAX_MS	5000

/*
 * A backend: the sink.type it serves and its operations. write returns 0
 * once the whole record reached the sink, SINK_REJECTED when a backend
 * that gives a verdict per record (verdicts) refused it (s->why says
 * why), and -1 only when the sink was cancelled; it retries everything else itself (usually through
 * sink_retry). flush likewise. open sets up s->state and returns -1 after
 * logging why it cannot (then it leaves nothing to free); close frees
 * s->state. describe names the sink in log lines ("file /x"); NULL: name.
 * Every operation but write may be NULL.
 */
struct sink_ops {
	int		 type;		/* enum config_sink_type */
	const char	*name;
	bool		 formats;	/* false: records are not read */
	bool		 whole_batches;	/* write takes many records */
	bool		 verdicts;	/* write may reject one record */
	char		*(*describe)(const struct config *);
	int		(*open)(struct sink *);
	int		(*write)(struct sink *, const char *, size_t);
	int		(*flush)(struct sink *);
	void		(*close)(struct sink *);
};

/* A record being written to a descriptor: bytes and progress. */
struct sink_chunk {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

struct sink {
	const struct config	*cfg;
	const struct sink_ops	*ops;
	void			*state;		/* the backend's own */
	char			*desc;		/* for log lines: "file /x" */

	pthread_mutex_t		 lock;		/* serialises writers */
	pthread_mutex_t		 sleep_lock;
	pthread_cond_t		 sleep_cond;	/* signalled by sink_cancel */
	atomic_bool		 cancelled;
	atomic_bool		 reopen;
	atomic_bool		 failed;	/* sink_fail: for good */
	atomic_bool		 abandoned;	/* a record was given up on */
	const char		*op;		/* what failed, for sink_retry */
	char			 why[200];	/* why write rejected a record */
	struct sink_dead_letter	*dead_letter;	/* NULL: none */

	_Atomic uint64_t	 records;
	_Atomic uint64_t	 bytes;
	_Atomic uint64_t	 errors;
	_Atomic uint64_t	 restarts;
	_Atomic uint64_t	 rejected;
	_Atomic uint64_t	 dead_letters;
};

extern const struct sink_ops sink_file_ops;
extern const struct sink_ops sink_exec_ops;
extern const struct sink_ops sink_exec_record_ops;

/* sink_exec.c, for sink_exec_record.c: start sink.command with a pipe on
   its stdin (-1 with errno set); describe a wait status. */
int sink_exec_start(struct sink *s, pid_t *pid, int *fd);
void sink_exec_describe(int status, char *out, size_t len);

/* sink_dead_letter.c: where rejected records go under sink.on_error
   dead_letter (a Kafka topic or a file). open returns NULL after logging
   why; put returns 0 once the destination acknowledged the record, -1
   (why set) when it did not. */
struct sink_dead_letter *sink_dead_letter_open(const struct config *cfg);
int sink_dead_letter_put(struct sink_dead_letter *dl,
    const struct sink_record *rec, const char *data, size_t len,
    const char *error, char *why, size_t whylen);
const char *sink_dead_letter_describe(const struct sink_dead_letter *dl);
void sink_dead_letter_reopen(struct sink_dead_letter *dl);
void sink_dead_letter_cancel(struct sink_dead_letter *dl);
int sink_dead_letter_close(struct sink_dead_letter *dl);

void sink_fail(struct sink *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sink_sleep(struct sink *s, int64_t ms);
int sink_retry(struct sink *s, const char *what,
    int (*fn)(struct sink *, void *), void *arg);
int sink_fd_write(struct sink *s, int fd, const char *data, size_t len,
    size_t *off);

#endif
