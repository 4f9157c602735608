/* libFuzzer target: the command line (ferry_config_parse). The input's main
 * part is argv, one element a line (argv[0] is "ferry"); "@@ " files after it
 * are what --policy and include lines read (see fuzz_common.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ferry/config.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_strndup(data, size);
	struct fuzz_fs fs;
	char *args = fuzz_fs_split(&fs, buf);
	char *argv[MAX_ARGS + 2];
	int argc = 0;
	argv[argc++] = (char *)"ferry";
	for (char *p = args; *p && argc <= MAX_ARGS;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		argv[argc++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	argv[argc] = NULL;

	static const struct ferry_vars vars[] = {{"/home/u/proj", "/home/u"}, {"/", NULL}};
	for (size_t v = 0; v < 2; v++) {
		struct ferry_config cfg;
		struct ferry_loader loader = {fuzz_load, &fs};
		char err[1024];
		fs.loads = 0;
		int r = ferry_config_parse(&cfg, argc, argv, &vars[v], &loader, err, sizeof(err));
		if (r == 0) {
			fuzz_check_config(&cfg);
			if (cfg.mode == FERRY_MODE_RUN) {
				/* The command is a tail of argv. */
				FUZZ_CHECK(cfg.argv != NULL && cfg.argv[0] != NULL);
				FUZZ_CHECK(cfg.argv > argv && cfg.argv < argv + argc);
				FUZZ_CHECK(cfg.profile != NULL);
			}
		} else {
			FUZZ_CHECK(r == -1 && err[0] != '\0');
		}
		ferry_config_free(&cfg);
	}
	free(buf);
	return 0;
}
