/* Command-line parsing; see hillock/config.h and docs/config.md. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <hillock/config.h>

struct config_option {
	const char *key;
	size_t offset;
};

static const struct config_option config_options[] = {
	{"hillock.test", offsetof(struct kernel_config, test)},
	{"hillock.test.corrupt", offsetof(struct kernel_config, test_corrupt)},
	{"hillock.fault", offsetof(struct kernel_config, fault)},
	{"hillock.loglevel", offsetof(struct kernel_config, loglevel)},
	{"hillock.sidecar", offsetof(struct kernel_config, sidecar)},
	{"hillock.tpm", offsetof(struct kernel_config, tpm)},
	{"hillock.tpm_nv", offsetof(struct kernel_config, tpm_nv)},
};

struct kernel_config kernel_config;

static int config_set(struct kernel_config *cfg, const char *word, size_t len)
{
	const char *eq = memchr(word, '=', len);
	size_t klen = eq ? (size_t)(eq - word) : len;

	for (size_t i = 0; i < sizeof(config_options) / sizeof(config_options[0]); i++) {
		const struct config_option *o = &config_options[i];

		if (strlen(o->key) != klen || strncmp(word, o->key, klen) != 0) {
			continue;
		}
		size_t vlen = eq ? len - klen - 1 : 0;

		if (vlen >= CONFIG_VALUE_MAX) {
			printf("config: value of %s is longer than %d bytes\n", o->key,
			       CONFIG_VALUE_MAX - 1);
			return -1;
		}
		char *dst = (char *)cfg + o->offset;

		memcpy(dst, eq ? eq + 1 : "", vlen);
		dst[vlen] = '\0';
		return 0;
	}
	printf("config: unknown option %.*s\n", (int)klen, word);
	return -1;
}

/* Check the values that have a fixed form. */
static int config_validate(const struct kernel_config *cfg)
{
	if (cfg->loglevel[0] && (cfg->loglevel[0] < '0' || cfg->loglevel[0] > '3' || cfg->loglevel[1])) {
		printf("config: hillock.loglevel=%s is not 0..3\n", cfg->loglevel);
		return -1;
	}
	if (cfg->sidecar[0] && strcmp(cfg->sidecar, "on") != 0 && strcmp(cfg->sidecar, "off") != 0) {
		printf("config: hillock.sidecar=%s is not on or off\n", cfg->sidecar);
		return -1;
	}
	if (cfg->tpm[0] && strcmp(cfg->tpm, "on") != 0 && strcmp(cfg->tpm, "off") != 0) {
		printf("config: hillock.tpm=%s is not on or off\n", cfg->tpm);
		return -1;
	}
	if (cfg->tpm_nv[0] && strcmp(cfg->tpm_nv, "ram") != 0 && strcmp(cfg->tpm_nv, "flash") != 0) {
		printf("config: hillock.tpm_nv=%s is not ram or flash\n", cfg->tpm_nv);
		return -1;
	}
	return 0;
}

int config_parse(const char *cmdline, struct kernel_config *cfg)
{
	int rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	for (const char *p = cmdline; *p;) {
		while (*p == ' ' || *p == '\t') {
			p++;
		}
		size_t len = strcspn(p, " \t");

		if (len > 8 && strncmp(p, "hillock.", 8) == 0 && config_set(cfg, p, len) != 0) {
			rc = -1;
		}
		p += len;
	}
	return rc ? rc : config_validate(cfg);
}
