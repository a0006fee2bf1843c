/*
 * config_check.h: checks of values that parse but cannot work at run time
 * (config_check.c). The schema's validators call the per-value checks;
 * the loader calls config_check_kafka_values once everything is read.
 *
 * Main thread only, while loading.
 */
#ifndef KCONSUMERD_CONFIG_CHECK_H
#define KCONSUMERD_CONFIG_CHECK_H

struct config;
struct diag;

void config_check_id(const char *name, const char *value, const char *file,
    int line, struct diag *d);
void config_check_sink_path(const char *name, const char *value,
    const char *file, int line, struct diag *d);
void config_check_listen_host(const char *name, const char *listen,
    const char *host, const char *file, int line, struct diag *d);
void config_check_kafka_values(const struct config *cfg, struct diag *d);
void config_check_writable(const char *name, const char *path,
    const char *file, int line, struct diag *d);

#endif
