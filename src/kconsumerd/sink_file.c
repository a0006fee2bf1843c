/*
 * sink_file.c: the file sink: appends records to sink.path, fsyncs on
 * sink_flush when sink.fsync is batch, and reopens the path after
 * sink_reopen (logrotate moved the file away).
 *
 * A record is written whole or not at all: a failed write (ENOSPC, EFBIG,
 * EIO) is cut back to where the record began before it is retried, so
 * every line of the file is a complete record. A file that was removed
 * while open is noticed before each write and flush, and the path opened
 * again (retried, logged, while its folder is missing), so no record goes
 * to an unlinked inode.
 *
 * Runs with the sink's lock held (sink.c), on consumer threads; open and
 * close on the main thread. Its state (struct sink_file) is its own.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "sink.h"
#include "sink_impl.h"
#include "xmalloc.h"

/* The open file (s->state). */
struct sink_file {
	int	 fd;		/* -1: not open */
	bool	 dirty;		/* written since the last fsync */
};

/* Open the path for appending; -1 with errno set. */
static int
sink_file_open_path(struct sink *s)
{
	struct sink_file *f = s->state;

	s->op = "open";
	f->fd = open(s->cfg->sink.path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	f->dirty = false;
	return f->fd == -1 ? -1 : 0;
}

/* fsync what was written since the last fsync, when fsync is batch. */
static int
sink_file_sync(struct sink *s)
{
	struct sink_file *f = s->state;

	if (!f->dirty || s->cfg->sink.fsync != CONFIG_SINK_FSYNC_BATCH)
		return 0;
	s->op = "fsync";
	if (fsync(f->fd) == -1)
		return -1;
	f->dirty = false;
	return 0;
}

/*
 * Whether the open file was removed (st_nlink 0: the file or its folder
 * was deleted). A file renamed away (logrotate) is still linked: records
 * go on to it until sink_reopen.
 */
static bool
sink_file_gone(struct sink_file *f)
{
	struct stat st;

	return fstat(f->fd, &st) == 0 && st.st_nlink == 0;
}

/*
 * Act on a pending sink_reopen (sync and close the old file first), or on
 * the file having been removed, and open the path when it is not open;
 * -1 with errno set.
 */
static int
sink_file_prepare(struct sink *s)
{
	struct sink_file *f = s->state;

	if (f->fd != -1 && !atomic_load(&s->reopen) && sink_file_gone(f)) {
		log_warnx("sink %s: the file was removed while "
		    "open; opening the path again, the next records go "
		    "there", s->desc);
		atomic_store(&s->reopen, true);
	}
	if (f->fd != -1 && atomic_exchange(&s->reopen, false)) {
		if (sink_file_sync(s) == -1) {
			atomic_store(&s->reopen, true);
			return -1;
		}
		close(f->fd);
		f->fd = -1;
		log_info("sink %s: reopening", s->desc);
	}
	if (f->fd == -1)
		return sink_file_open_path(s);
	return 0;
}

/* "file PATH", for log lines. */
static char *
sink_file_describe(const struct config *cfg)
{
	char *desc;

	xasprintf(&desc, "file %s", cfg->sink.path);
	return desc;
}

/* Open the file when the sink opens; logs and fails when it cannot. */
static int
sink_file_open(struct sink *s)
{
	struct sink_file *f;

	if (s->cfg->sink.path == NULL) {
		log_errorx("sink file: no path; set sink.path");
		return -1;
	}
	s->state = f = xcalloc(1, sizeof *f);
	if (sink_file_open_path(s) == -1) {
		log_errorx("sink %s: cannot open: %s; check that the directory "
		    "exists and that kconsumerd may write there, or change "
		    "sink.path", s->desc, strerror(errno));
		free(f);
		s->state = NULL;
		return -1;
	}
	return 0;
}

/*
 * One attempt at appending a whole record; after a failed write, cut the
 * file back to where the record began (or fail the sink when it cannot
 * be), so that no part of it stays.
 */
static int
sink_file_try(struct sink *s, void *arg)
{
	struct sink_file *f = s->state;
	struct sink_chunk *c = arg;
	off_t start;
	int saved;

	if (sink_file_prepare(s) == -1)
		return -1;
	s->op = "write";
	if ((start = lseek(f->fd, 0, SEEK_END)) == -1)
		return -1;
	f->dirty = true;
	c->off = 0;
	if (sink_fd_write(s, f->fd, c->data, c->len, &c->off) == 0)
		return 0;
	saved = errno;
	if (c->off > 0 && ftruncate(f->fd, start) == -1)
		sink_fail(s, "cannot cut a partly written record back out of "
		    "the file (%s); it ends in a torn line", strerror(errno));
	c->off = 0;
	errno = saved;
	return -1;
}

/* Append a record, retrying until all of it is in the file. */
static int
sink_file_write(struct sink *s, const char *data, size_t len)
{
	struct sink_chunk c = { data, len, 0 };

	return sink_retry(s, "write", sink_file_try, &c);
}

/* One attempt at making the file durable. */
static int
sink_file_flush_try(struct sink *s, void *arg)
{
	if (sink_file_prepare(s) == -1)
		return -1;
	return sink_file_sync(s);
}

/*
 * fsync (batch) what was written since the last flush, retrying until it
 * succeeds. Linux may report a writeback error to one fsync only; a later
 * retry that succeeds cannot prove the earlier pages reached the disk.
 */
static int
sink_file_flush(struct sink *s)
{
	return sink_retry(s, "fsync", sink_file_flush_try, NULL);
}

/* Sync and close the file; free the state. */
static void
sink_file_close(struct sink *s)
{
	struct sink_file *f = s->state;

	if (f->fd != -1) {
		if (sink_file_sync(s) == -1)
			log_warn("sink %s: fsync on close", s->desc);
		close(f->fd);
	}
	free(f);
	s->state = NULL;
}

const struct sink_ops sink_file_ops = {
	.type = CONFIG_SINK_FILE,
	.name = "file",
	.formats = true,
	.whole_batches = true,
	.describe = sink_file_describe,
	.open = sink_file_open,
	.write = sink_file_write,
	.flush = sink_file_flush,
	.close = sink_file_close,
};
