/* libFuzzer target: ipvsctl's ipvsadm -S/-R line parser (restore, apply). */
#include "../ipvsctl/ipvs.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct ipvs_rule r;
	struct hk_err e;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	ipvs_parse_line(line, 0, &r, &e);
	free(line);
	return 0;
}
