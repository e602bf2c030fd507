/* libFuzzer target: vipctl's batch-line splitter and command parser. */
#include "../vipctl/vipctl.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *words[16];
	struct vip_cmd c;
	struct hk_err e;
	int n;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	n = vip_split_line(line, words, 16);
	if (n >= 0)
		vip_parse_cmd(n, words, &c, &e);
	free(line);
	return 0;
}
