/*
 * listen_addr.c: the HTTP listen address, "host:port", ":port" or
 * "[v6]:port", taken apart for the schema's check and for http.c; and
 * whether this build serves HTTP at all.
 *
 * Any thread; no state.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "listen_addr.h"
#include "xmalloc.h"

/* Split a listen address into host (NULL: any) and port. */
bool
listen_addr_parse(const char *listen, char **host, int *port, char **err)
{
	const char *colon, *end;
	char *stop;
	long n;

	*host = NULL;
	*err = NULL;
	if (listen[0] == '[') {
		if ((end = strchr(listen, ']')) == NULL || end[1] != ':') {
			xasprintf(err, "'%s': write an IPv6 address as "
			    "[address]:port", listen);
			return false;
		}
		colon = end + 1;
		*host = xstrdup(listen + 1);
		(*host)[end - listen - 1] = '\0';
	} else {
		if ((colon = strrchr(listen, ':')) == NULL) {
			xasprintf(err, "'%s': expected host:port or :port",
			    listen);
			return false;
		}
		if (memchr(listen, ':', (size_t)(colon - listen)) != NULL) {
			xasprintf(err, "'%s': write an IPv6 address as "
			    "[address]:port", listen);
			return false;
		}
		if (colon > listen) {
			*host = xstrdup(listen);
			(*host)[colon - listen] = '\0';
		}
	}
	n = strtol(colon + 1, &stop, 10);
	if (colon[1] == '\0' || *stop != '\0' || n < 0 || n > 65535) {
		xasprintf(err, "'%s': the port must be a number from 0 to "
		    "65535", listen);
		free(*host);
		*host = NULL;
		return false;
	}
	*port = (int)n;
	return true;
}

/* True when built with libmicrohttpd. */
bool
listen_addr_http_available(void)
{
#ifdef HAVE_LIBMICROHTTPD
	return true;
#else
	return false;
#endif
}
