/*
 * daemon.h: the top of kconsumerd: load the configuration, run the
 * members, handle signals, decide the exit status.
 *
 * Main thread only.
 */
#ifndef KCONSUMERD_DAEMON_H
#define KCONSUMERD_DAEMON_H

#include <signal.h>
#include <stdbool.h>

struct cli;
struct config;

int daemon_main(const struct cli *c);
void daemon_block_signals(sigset_t *set);
bool daemon_configure_log(const struct config *cfg);

#endif
