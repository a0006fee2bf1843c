/*
 * daemon.h: the top of kconsumerd: load the configuration, run the
 * members, handle signals, decide the exit status.
 *
 * Main thread only.
 */
#ifndef KCONSUMERD_DAEMON_H
#define KCONSUMERD_DAEMON_H

struct cli;

int daemon_main(const struct cli *c);

#endif
