/*
 * clock.c: milliseconds on the monotonic clock (deadlines, durations) and
 * on the wall clock (timestamps), and condition variables that wait on the
 * monotonic one.
 *
 * Any thread; no state.
 */
#include "autoconf.h"

#include "clock.h"

/* Milliseconds of a clock. */
static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds on the monotonic clock: for deadlines and durations only. */
int64_t
clock_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

/* Milliseconds since the epoch on the wall clock: for timestamps only. */
int64_t
clock_wall_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

/* The absolute timespec of a monotonic time, for clock_cond_init's waits. */
void
clock_mono_timespec(int64_t mono_ms, struct timespec *ts)
{
	ts->tv_sec = (time_t)(mono_ms / 1000);
	ts->tv_nsec = (long)(mono_ms % 1000) * 1000000L;
}

/* Initialise a condition variable whose timed waits use the monotonic
   clock (give them clock_mono_timespec's deadlines). */
void
clock_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cond, &ca);
	pthread_condattr_destroy(&ca);
}

/* The wait after delay_ms in an exponential back-off: twice as long, at
   most max_ms. */
int64_t
clock_backoff_ms(int64_t delay_ms, int64_t max_ms)
{
	return delay_ms * 2 > max_ms ? max_ms : delay_ms * 2;
}
