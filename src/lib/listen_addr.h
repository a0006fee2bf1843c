/*
 * listen_addr.h: http.listen's address taken apart (both the schema and
 * the daemon's HTTP endpoint use it).
 *
 * Any thread; no state.
 */
#ifndef KCONSUMERD_LISTEN_ADDR_H
#define KCONSUMERD_LISTEN_ADDR_H

#include <stdbool.h>

/* Split "host:port", ":port" or "[v6]:port"; *host is NULL for ":port"
   (every address). False and *err set (to be freed) when malformed. */
bool listen_addr_parse(const char *listen, char **host, int *port,
    char **err);
/* True when this build serves HTTP (libmicrohttpd). */
bool listen_addr_http_available(void);

#endif
