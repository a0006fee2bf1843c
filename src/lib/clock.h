/*
 * clock.h: the process's two clocks. The monotonic clock measures every
 * deadline and duration (a step of the wall clock neither stretches nor
 * cuts them); the wall clock only stamps log lines and reports.
 *
 * Any thread.
 */
#ifndef KCONSUMERD_CLOCK_H
#define KCONSUMERD_CLOCK_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);
void clock_mono_timespec(int64_t mono_ms, struct timespec *ts);
void clock_cond_init(pthread_cond_t *cond);
int64_t clock_backoff_ms(int64_t delay_ms, int64_t max_ms);

#endif
