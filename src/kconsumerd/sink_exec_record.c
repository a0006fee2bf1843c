/*
 * sink_exec_record.c: the exec sink under sink.per_record: sink.command
 * runs once per record under /bin/sh -c, the record (one formatted line)
 * on its standard input, which is then closed; its exit status is the
 * record's verdict. 0 takes the record; any other status, or a death by
 * a signal, rejects it (SINK_REJECTED, s->why says how), and sink.c acts
 * on sink.on_error. A command the shell cannot find or run (status 127
 * or 126) fails the sink instead: that is sink.command's fault, not the
 * record's. The verdict is exact: a record is taken only once a command
 * that read it exited 0, so offsets are stored only for those.
 *
 * Runs with the sink's lock held (sink.c), on consumer threads. It keeps
 * no state between records.
 */
#include "autoconf.h"

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "sink.h"
#include "sink_impl.h"

#define SINK_EXEC_RECORD_POLL_MS	2	/* is the command done yet */
#define SINK_EXEC_RECORD_TERM_MS	2000	/* to exit after SIGTERM */

/* One attempt at starting the command for a record. */
static int
sink_exec_record_start(struct sink *s, void *arg)
{
	int *fds = arg;
	pid_t pid;

	if (sink_exec_start(s, &pid, &fds[1]) == -1)
		return -1;
	fds[0] = (int)pid;
	return 0;
}

/* Stop a command that is still running when the sink is cancelled. */
static void
sink_exec_record_kill(pid_t pid)
{
	int status, waited;

	kill(pid, SIGTERM);
	for (waited = 0; waited < SINK_EXEC_RECORD_TERM_MS; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/* Wait for the command's exit; -1 when the sink was cancelled first. */
static int
sink_exec_record_wait(struct sink *s, pid_t pid, int *status)
{
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR) {
			*status = -1;
			return 0;
		}
		if (sink_sleep(s, SINK_EXEC_RECORD_POLL_MS) == -1) {
			log_warnx("sink exec: the sink is shutting down; "
			    "stopping the command for the record (pid %ld): "
			    "the record is not taken", (long)pid);
			sink_exec_record_kill(pid);
			return -1;
		}
	}
}

/*
 * Run the command for one record: 0 when it exited 0, SINK_REJECTED
 * when it did not, -1 when the sink was cancelled or failed.
 */
static int
sink_exec_record_write(struct sink *s, const char *data, size_t len)
{
	char how[128];
	int fds[2] = { -1, -1 }, status;
	size_t off = 0;
	pid_t pid;

	if (sink_retry(s, "start the command", sink_exec_record_start,
	    fds) == -1)
		return -1;
	pid = (pid_t)fds[0];
	if (sink_fd_write(s, fds[1], data, len, &off) == -1 &&
	    errno != EPIPE && errno != ECANCELED)
		log_warn("sink exec: writing the record to the command");
	close(fds[1]);
	if (sink_exec_record_wait(s, pid, &status) == -1) {
		atomic_store(&s->abandoned, true);
		return -1;
	}
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	sink_exec_describe(status, how, sizeof how);
	if (status != -1 && WIFEXITED(status) &&
	    (WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126)) {
		sink_fail(s, "the command %s: the shell could not find or run "
		    "it; check sink.command ('%s')", how, s->cfg->sink.command);
		return -1;
	}
	snprintf(s->why, sizeof s->why, "the command %s%s", how,
	    off < len ? " before reading the whole record" : "");
	return SINK_REJECTED;
}

const struct sink_ops sink_exec_record_ops = {
	.type = CONFIG_SINK_EXEC,
	.name = "exec",
	.formats = true,
	.whole_batches = false,
	.verdicts = true,
	.write = sink_exec_record_write,
};
