/*
 * proc.h: process-wide set-up shared by the daemon and the demo.
 *
 * Main thread.
 */
#ifndef KCONSUMERD_PROC_H
#define KCONSUMERD_PROC_H

#include <signal.h>
#include <stdbool.h>

struct config;

void proc_ignore_signals(void);
void proc_block_signals(sigset_t *set);
bool proc_configure_log(const struct config *cfg);

#endif
