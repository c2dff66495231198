/* OpenSSL-compatible error queue: the adapter logs instead of queueing. */
#ifndef HILLOCK_TPM_OPENSSL_ERR_H
#define HILLOCK_TPM_OPENSSL_ERR_H

unsigned long ERR_get_error_line_data(const char **file, int *line,
				      const char **data, int *flags);

#endif
