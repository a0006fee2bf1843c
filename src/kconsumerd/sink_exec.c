/*
 * sink_exec.c: the exec sink: sink.command runs under /bin/sh -c and reads
 * one record per line on its stdin (a pipe; its stdout and stderr are
 * kconsumerd's). When it exits it is logged and restarted with backoff.
 *
 * At-least-once holds up to what the command read: sink_write returns 0
 * once the whole line is in the pipe, and sink_flush returns 0 only once
 * the command has read everything written (the pipe is empty, FIONREAD),
 * so the caller stores offsets only for records the command took. The
 * records a command had not read when it exited are written again to the
 * next one, by the next write, flush or close. A command that the shell
 * cannot find or run (it exits 127 or 126 soon after starting) fails the
 * sink: that is a configuration error to see at once, not a backlog. A
 * close that leaves records unread (the command never read them) reports
 * them abandoned.
 *
 * Runs with the sink's lock held (sink.c), on consumer threads; open and
 * close on the main thread. Its state (struct sink_exec) is its own.
 */
#include "autoconf.h"

#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "log.h"
#include "sink.h"
#include "sink_impl.h"
#include "xmalloc.h"

#define SINK_EXEC_STABLE_MS	10000	/* lived this long: reset backoff */
#define SINK_EXEC_GRACE_MS	3000	/* to exit once its stdin closed */
#define SINK_EXEC_TERM_MS	2000	/* to exit after SIGTERM */
#define SINK_EXEC_READ_POLL_MS	5	/* flush: is the pipe empty yet */

extern char **environ;

/* The child and the records it may not have read yet (s->state). */
struct sink_exec {
	pid_t		 pid;		/* -1: none running */
	int		 fd;		/* write end of its stdin */
	int64_t		 started_ms;
	int64_t		 delay_ms;	/* next restart backoff */
	struct buf	 pending;	/* whole records, oldest first */
	size_t		 start;		/* first byte of pending still kept */
	size_t		 sent;		/* bytes of pending in the pipe */
	size_t		*ends;		/* end offset of each kept record */
	size_t		 nends;
	size_t		 first;		/* first kept index into ends */
	size_t		 capends;
};

/*
 * Start sink.command under /bin/sh -c with a new pipe on its stdin (the
 * write end non-blocking, in *fd) and SIGPIPE at its default; -1 with
 * errno set. Also sink_exec_record.c's.
 */
int
sink_exec_start(struct sink *s, pid_t *pidp, int *fd)
{
	char *argv[] = { (char *)"sh", (char *)"-c", s->cfg->sink.command,
	    NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t mask, dfl;
	pid_t pid;
	int p[2], error;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], STDIN_FILENO);
	posix_spawnattr_init(&attr);
	sigemptyset(&mask);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	error = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(p[0]);
	if (error != 0) {
		close(p[1]);
		errno = error;
		return -1;
	}
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	*pidp = pid;
	*fd = p[1];
	return 0;
}

/* Start the command with a new pipe on its stdin; -1 with errno set. */
static int
sink_exec_spawn(struct sink *s)
{
	struct sink_exec *e = s->state;
	pid_t pid;

	if (sink_exec_start(s, &pid, &e->fd) == -1)
		return -1;
	e->pid = pid;
	e->started_ms = clock_mono_ms();
	e->sent = e->start;
	log_info("sink exec: started the command, pid %ld", (long)pid);
	return 0;
}

/* Wait up to ms for the child to exit; 0 with *status once it has. */
static int
sink_exec_wait(struct sink *s, int64_t ms, int *status)
{
	struct sink_exec *e = s->state;
	struct timespec slice = { 0, 10 * 1000000 };
	int64_t deadline = clock_mono_ms() + ms;
	pid_t r;

	for (;;) {
		r = waitpid(e->pid, status, WNOHANG);
		if (r == e->pid)
			return 0;
		if (r == -1 && errno != EINTR) {
			*status = -1;	/* reaped elsewhere */
			return 0;
		}
		if (clock_mono_ms() >= deadline)
			return -1;
		nanosleep(&slice, NULL);
	}
}

/* Close the child's stdin and reap it, by SIGTERM and SIGKILL if need be. */
static int
sink_exec_stop(struct sink *s, int64_t grace_ms)
{
	struct sink_exec *e = s->state;
	int status;

	close(e->fd);
	e->fd = -1;
	if (sink_exec_wait(s, grace_ms, &status) == -1) {
		log_warnx("sink exec: pid %ld still running %lld ms after its "
		    "stdin closed; sending SIGTERM", (long)e->pid,
		    (long long)grace_ms);
		kill(e->pid, SIGTERM);
		if (sink_exec_wait(s, SINK_EXEC_TERM_MS, &status) == -1) {
			kill(e->pid, SIGKILL);
			while (waitpid(e->pid, &status, 0) == -1 &&
			    errno == EINTR)
				;
		}
	}
	e->pid = -1;
	return status;
}

/* Describe a wait status: "exited with status 1", "was killed by ...". */
void
sink_exec_describe(int status, char *out, size_t len)
{
	if (status == -1)
		snprintf(out, len, "exited (status unknown)");
	else if (WIFEXITED(status))
		snprintf(out, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(out, len, "was killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(out, len, "ended (wait status %#x)", status);
}

/* Remember a record until the child has read it. */
static void
sink_exec_keep(struct sink *s, const char *data, size_t len)
{
	struct sink_exec *e = s->state;

	buf_add(&e->pending, data, len);
	if (e->first + e->nends == e->capends && e->first > 0) {
		memmove(e->ends, e->ends + e->first, e->nends * sizeof *e->ends);
		e->first = 0;
	} else if (e->first + e->nends == e->capends) {
		e->capends = e->capends == 0 ? 64 : e->capends * 2;
		e->ends = xreallocarray(e->ends, e->capends, sizeof *e->ends);
	}
	e->ends[e->first + e->nends++] = e->pending.len;
}

/* Forget the last record, which did not go out (cancelled). */
static void
sink_exec_unkeep(struct sink *s)
{
	struct sink_exec *e = s->state;

	e->nends--;
	e->pending.len = e->nends > 0 ? e->ends[e->first + e->nends - 1] :
	    e->start;
	if (e->sent > e->pending.len)
		e->sent = e->pending.len;
}

/* Bytes in the pipe the child has not read; 0 when it cannot be told. */
static size_t
sink_exec_unread(struct sink *s)
{
	struct sink_exec *e = s->state;
	int n;

	if (ioctl(e->fd, FIONREAD, &n) == -1 || n < 0)
		return 0;
	return (size_t)n;
}

/*
 * Forget the records the child has read completely: keep only those that
 * hold one of the last unread bytes sent.
 */
static void
sink_exec_trim(struct sink *s, size_t unread)
{
	struct sink_exec *e = s->state;
	size_t done, i;

	if (unread > e->sent - e->start)
		unread = e->sent - e->start;
	done = e->sent - unread;
	while (e->nends > 0 && e->ends[e->first] <= done) {
		e->start = e->ends[e->first++];
		e->nends--;
	}
	if (e->nends == 0 && e->start == e->pending.len) {
		buf_reset(&e->pending);
		e->start = e->sent = e->first = 0;
	} else if (e->start > e->pending.len / 2) {
		memmove(e->pending.data, e->pending.data + e->start,
		    e->pending.len - e->start);
		for (i = 0; i < e->nends; i++)
			e->ends[i] = e->ends[e->first + i] - e->start;
		e->pending.len -= e->start;
		e->sent -= e->start;
		e->first = e->start = 0;
	}
}

/* The child is gone or closed its stdin: keep what it did not read, reap. */
static void
sink_exec_died(struct sink *s)
{
	struct sink_exec *e = s->state;
	char how[128];
	int64_t lived;
	int status;

	sink_exec_trim(s, sink_exec_unread(s));
	status = sink_exec_stop(s, SINK_EXEC_GRACE_MS);
	atomic_fetch_add(&s->errors, 1);
	lived = clock_mono_ms() - e->started_ms;
	if (lived >= SINK_EXEC_STABLE_MS)
		e->delay_ms = SINK_BACKOFF_MIN_MS;
	sink_exec_describe(status, how, sizeof how);
	if (status != -1 && WIFEXITED(status) && (WEXITSTATUS(status) == 127 ||
	    WEXITSTATUS(status) == 126) && lived < SINK_EXEC_STABLE_MS) {
		sink_fail(s, "the command %s after %lld ms: the shell could not "
		    "find or run it; check sink.command ('%s')", how,
		    (long long)lived, s->cfg->sink.command);
		return;
	}
	log_warnx("sink exec: the command %s after %lld ms; restarting it in "
	    "%lld ms, then writing again the records it had not read (%zu)",
	    how, (long long)lived, (long long)e->delay_ms, e->nends);
}

/* Sleep the backoff, then start a new child; -1 when cancelled. */
static int
sink_exec_restart(struct sink *s)
{
	struct sink_exec *e = s->state;

	for (;;) {
		if (sink_sleep(s, e->delay_ms) == -1)
			return -1;
		e->delay_ms = clock_backoff_ms(e->delay_ms,
		    SINK_BACKOFF_MAX_MS);
		if (sink_exec_spawn(s) == 0)
			break;
		atomic_fetch_add(&s->errors, 1);
		log_warn("sink exec: cannot start the command; retrying in "
		    "%lld ms", (long long)e->delay_ms);
	}
	atomic_fetch_add(&s->restarts, 1);
	return 0;
}

/* Whether the child has exited (without reaping it). */
static bool
sink_exec_exited(struct sink *s)
{
	struct sink_exec *e = s->state;
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, e->pid, &si, WEXITED | WNOHANG | WNOWAIT) == -1)
		return errno != EINTR;
	return si.si_pid == e->pid;
}

/*
 * Get every kept record not yet in the pipe into it, restarting the child
 * as often as it takes; -1 only when cancelled.
 */
static int
sink_exec_deliver(struct sink *s)
{
	struct sink_exec *e = s->state;

	for (;;) {
		if (e->pid == -1 && sink_exec_restart(s) == -1)
			return -1;
		if (sink_exec_exited(s)) {
			sink_exec_died(s);
			continue;
		}
		if (sink_fd_write(s, e->fd, e->pending.data, e->pending.len,
		    &e->sent) == 0) {
			sink_exec_trim(s, sink_exec_unread(s));
			return 0;
		}
		if (errno == ECANCELED)
			return -1;
		if (errno != EPIPE)
			log_warn("sink exec: write to the command");
		sink_exec_died(s);
	}
}

/*
 * Write a record (after any the last child left unread) into the pipe;
 * -1 only when cancelled.
 */
static int
sink_exec_write(struct sink *s, const char *data, size_t len)
{
	sink_exec_keep(s, data, len);
	if (sink_exec_deliver(s) == 0)
		return 0;
	sink_exec_unkeep(s);
	atomic_store(&s->abandoned, true);
	return -1;
}

/*
 * Wait until the command has read every record written (the pipe is
 * empty); when it exits first, write what it left unread to a new one.
 * -1 when cancelled, failed or past deadline_ms before it read them all.
 */
static int
sink_exec_drain(struct sink *s, int64_t deadline_ms)
{
	struct sink_exec *e = s->state;

	for (;;) {
		if (e->pid != -1 && sink_exec_exited(s))
			sink_exec_died(s);
		if (atomic_load(&s->failed))
			return -1;
		if (e->pid == -1) {
			if (e->nends == 0)
				return 0;
			if (sink_exec_deliver(s) == -1)
				return -1;
			continue;
		}
		sink_exec_trim(s, sink_exec_unread(s));
		if (e->nends == 0)
			return 0;
		if (clock_mono_ms() >= deadline_ms ||
		    sink_sleep(s, SINK_EXEC_READ_POLL_MS) == -1)
			return -1;
	}
}

/* Return once the command has read everything; -1 when cancelled. */
static int
sink_exec_flush(struct sink *s)
{
	return sink_exec_drain(s, INT64_MAX);
}

/* Start the command when the sink opens; logs and fails when it cannot. */
static int
sink_exec_open(struct sink *s)
{
	struct sink_exec *e;

	if (s->cfg->sink.command == NULL) {
		log_errorx("sink exec: no command; set sink.command");
		return -1;
	}
	s->state = e = xcalloc(1, sizeof *e);
	e->pid = -1;
	e->fd = -1;
	e->delay_ms = SINK_BACKOFF_MIN_MS;
	if (sink_exec_spawn(s) == -1) {
		log_errorx("sink exec: cannot start /bin/sh -c '%s': %s; check "
		    "sink.command", s->cfg->sink.command, strerror(errno));
		free(e);
		s->state = NULL;
		return -1;
	}
	return 0;
}

/*
 * Let the command read everything (starting another one for what an
 * exited one left unread) until shutdown.timeout_ms, then close its
 * stdin, let it finish (or stop it), and free the state. What it did not
 * read by then is abandoned.
 */
static void
sink_exec_close(struct sink *s)
{
	struct sink_exec *e = s->state;
	int64_t deadline = clock_mono_ms() + s->cfg->shutdown.timeout_ms;
	char how[128];
	int status;

	if (sink_exec_drain(s, deadline) == -1 && e->pid != -1 &&
	    e->nends > 0) {
		log_warnx("sink exec: the command had not read %zu bytes (%zu "
		    "records) after shutdown.timeout_ms; closing its stdin "
		    "anyway: those records are abandoned", sink_exec_unread(s),
		    e->nends);
		atomic_store(&s->abandoned, true);
	}
	if (e->pid != -1) {
		status = sink_exec_stop(s, SINK_EXEC_GRACE_MS);
		sink_exec_describe(status, how, sizeof how);
		log_info("sink exec: the command %s", how);
	} else if (e->nends > 0) {
		log_warnx("sink exec: %zu records the last command had not "
		    "read were not written again: the sink was shutting down",
		    e->nends);
		atomic_store(&s->abandoned, true);
	}
	buf_free(&e->pending);
	free(e->ends);
	free(e);
	s->state = NULL;
}

const struct sink_ops sink_exec_ops = {
	.type = CONFIG_SINK_EXEC,
	.name = "exec",
	.formats = true,
	.whole_batches = false,
	.open = sink_exec_open,
	.write = sink_exec_write,
	.flush = sink_exec_flush,
	.close = sink_exec_close,
};
