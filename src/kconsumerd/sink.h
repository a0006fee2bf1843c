/*
 * sink.h: where consumed messages go (stdout, file, exec, none), and how
 * they are formatted (format.c).
 *
 * Any consumer thread calls sink_write / sink_flush; the sink serialises
 * them under its own lock so lines from different members never
 * interleave. sink_reopen and sink_cancel may be called from any thread
 * (the signal thread): they only set flags that writers act on.
 *
 * At-least-once: sink_write returns 0 only when the whole record reached
 * the sink (the file descriptor, the pipe); sink_flush returns 0 only when
 * everything written so far is durable as the fsync mode asks. The caller
 * stores offsets only after both succeeded. On a write error the sink
 * logs, retries with backoff and returns -1 only once sink_cancel() was
 * called, or once the sink failed for good (sink_failed: a closed stdout,
 * an exec command that cannot start): it never skips a record.
 * sink_close returns -1 when records the sink accepted or was given were
 * abandoned (the caller exits EXIT_IOERR).
 *
 * A sink that gives a verdict per record (sink_verdicts: exec under
 * sink.per_record) may reject one: sink_write_record then follows
 * sink.on_error (retry it, send it to the dead-letter destination and
 * wait for its acknowledgement) and returns 0 only when the record is
 * settled, taken or dead-lettered; otherwise the caller stops without
 * storing its offset.
 */
#ifndef KCONSUMERD_SINK_H
#define KCONSUMERD_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct config;

/* One header of a record. */
struct sink_header {
	const char	*name;
	const void	*value;		/* NULL: header with a null value */
	size_t		 len;
};

/* One consumed message, independent of librdkafka's types. */
struct sink_record {
	const char		*topic;
	int32_t			 partition;
	int64_t			 offset;
	int64_t			 timestamp;	/* ms; -1 when not available */
	const void		*key;		/* NULL: null key */
	size_t			 key_len;
	const void		*value;		/* NULL: null value */
	size_t			 value_len;
	const struct sink_header *headers;
	size_t			 nheaders;	/* 0: no "headers" field */
};

struct sink;

#define SINK_REJECTED	1	/* a record's verdict: not taken */

/*
 * What became of a record a per-record sink rejected (sink_write_record):
 * how many times it was tried, the last rejection, and where it was sent
 * when it was dead-lettered.
 */
struct sink_outcome {
	int		 attempts;	/* 0: taken at once */
	bool		 dead_lettered;
	char		 error[200];	/* the last rejection */
	char		 failure[256];	/* not settled: why (dead letter) */
	const char	*destination;	/* dead_lettered: "topic T", "file P" */
};

/* Counters, for status and metrics. */
struct sink_stats {
	uint64_t	records;	/* records fully written */
	uint64_t	bytes;		/* bytes of formatted output written */
	uint64_t	errors;		/* failed write or flush attempts */
	uint64_t	restarts;	/* exec: child restarts */
	uint64_t	rejected;	/* rejections (each attempt) */
	uint64_t	dead_letters;	/* records sent to the dead letter */
};

struct sink *sink_open(const struct config *cfg);	/* NULL: logged */
int sink_close(struct sink *s);
int sink_write(struct sink *s, const struct sink_record *rec);
bool sink_formats(const struct sink *s);
bool sink_verdicts(const struct sink *s);
int sink_write_record(struct sink *s, const struct sink_record *rec,
    const char *data, size_t len, struct sink_outcome *out);
int sink_write_batch(struct sink *s, const char *data, size_t len,
    const size_t *ends, size_t n);
int sink_flush(struct sink *s);
void sink_reopen(struct sink *s);
void sink_cancel(struct sink *s);
bool sink_failed(struct sink *s);
void sink_stats(struct sink *s, struct sink_stats *out);

/* Format one record as a line (with its newline) per the configuration. */
void format_record(struct buf *out, const struct config *cfg,
    const struct sink_record *rec);

#endif
