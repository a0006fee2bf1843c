/*
 * fuzz_libconfig.c: libFuzzer harness for the libconfig configuration
 * front-end (config_libconfig.c through config_load).
 */
#include "autoconf.h"

#include "fuzz_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: a libconfig configuration file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_load(data, size, ".conf");
	return 0;
}
