/*
 * fuzz_yaml.c: libFuzzer harness for the YAML configuration front-end
 * (config_yaml.c through config_load).
 */
#include "autoconf.h"

#include "fuzz_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: a YAML configuration file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_load(data, size, ".yaml");
	return 0;
}
