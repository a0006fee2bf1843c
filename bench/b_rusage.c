/*
 * b_rusage.c: run a command and print what it cost, from wait4's rusage:
 *
 *   b_rusage [-o FILE] CMD ARGS...
 *
 * prints one line "cpu_ms=U+S user_ms=U sys_ms=S maxrss_kb=R minflt=F
 * nvcsw=V nivcsw=I wall_ms=W status=X" (page faults, voluntary and
 * involuntary context switches) to stderr, or to FILE (appended) with -o, so the command's own
 * output stays untouched. The CPU counts the command and every descendant
 * it waited for (a shell's children included). Exits with the command's
 * status.
 */
#include "autoconf.h"

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds of a timeval. */
static double
tv_ms(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	const char *out = NULL;
	FILE *f = stderr;
	pid_t pid;
	int status, arg = 1;
	double wall;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		out = argv[2];
		arg = 3;
	}
	if (arg >= argc) {
		fprintf(stderr, "usage: b_rusage [-o FILE] CMD ARGS...\n");
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("b_rusage: fork");
		return 71;
	}
	if (pid == 0) {
		execvp(argv[arg], argv + arg);
		fprintf(stderr, "b_rusage: %s: %s\n", argv[arg],
		    strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("b_rusage: wait4");
			return 71;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (out != NULL && (f = fopen(out, "a")) == NULL) {
		perror(out);
		f = stderr;
	}
	fprintf(f, "cpu_ms=%.1f user_ms=%.1f sys_ms=%.1f maxrss_kb=%ld "
	    "minflt=%ld nvcsw=%ld nivcsw=%ld wall_ms=%.1f status=%d\n",
	    tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime), tv_ms(&ru.ru_utime),
	    tv_ms(&ru.ru_stime), ru.ru_maxrss, ru.ru_minflt, ru.ru_nvcsw,
	    ru.ru_nivcsw, wall, WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status));
	if (f != stderr)
		fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
