/* libFuzzer target: kaconf's keepalived.conf reader and model builder. */
#include "../kaconf/kc.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct kc_ctx c;
	struct kc_conf conf;
	struct kc_stmt *top;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memset(&c, 0, sizeof(c));
	memset(&conf, 0, sizeof(conf));
	c.diag = devnull;
	/* A name without '/': includes resolve against ".", a directory
	 * with no keepalived configuration in it. */
	top = kc_read_buf(&c, "fuzz.conf", (const char *)data, size);
	kc_conf_build(&c, top, &conf);
	kc_arena_free(&c.arena);
	return 0;
}
