/* The hillock.* command-line options, parsed in one place (kernel/config.c)
 * and documented in docs/config.md.  Words without the hillock. prefix
 * are left for the guest. */
#ifndef HILLOCK_CONFIG_H
#define HILLOCK_CONFIG_H

#define CONFIG_VALUE_MAX 128

struct kernel_config {
	/* hillock.test=all|<suite>[,<suite>...]: which in-image tests run;
	 * empty: the default "selftest" suite. */
	char test[CONFIG_VALUE_MAX];
	/* hillock.test.corrupt=<suite>.<name>: flip one expected byte of that
	 * known-answer test, to show that a wrong expectation fails. */
	char test_corrupt[CONFIG_VALUE_MAX];
	/* hillock.fault=<kind> (kernel/fault.c, docs/config.md): fault on
	 * purpose after the banner, to exercise the exception and panic
	 * reports. */
	char fault[CONFIG_VALUE_MAX];
	/* hillock.loglevel=0..3: the kernel log's console level (error, warn,
	 * info, debug); empty: the default (hillock/kmsg.h). */
	char loglevel[CONFIG_VALUE_MAX];
	/* hillock.sidecar=on|off: whether application processors start in
	 * the sidecar (the default) or in the full kernel. */
	char sidecar[CONFIG_VALUE_MAX];
	/* hillock.tpm=on|off: power the vTPM on at boot, or never; empty:
	 * on its first command (kernel/tpm_gate.c). */
	char tpm[CONFIG_VALUE_MAX];
	/* hillock.tpm_nv=ram|flash: where the vTPM's sealed state lives;
	 * empty: the NV flash when it answers and the host gave a sealing
	 * secret, else RAM (tpm/nv_platform.c). */
	char tpm_nv[CONFIG_VALUE_MAX];
};

/* The boot's options: kernel_main() parses the command line into it
 * before the first INIT_CALL runs. */
extern struct kernel_config kernel_config;

/* Parse cmdline into cfg.  Returns 0, or -1 after printing what was wrong
 * (an unknown hillock.* option, a value too long). */
int config_parse(const char *cmdline, struct kernel_config *cfg);

#endif
