/* String to integer conversion, as C11 7.22.1.4: optional white space, an
 * optional sign, then digits in the base; base 0 reads a 0x or 0 prefix,
 * base 16 accepts 0x.  "0x" not followed by a hex digit parses as "0" and
 * *end points at the 'x'.  A bad base sets EINVAL and *end = s. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* The digits read, before the sign is applied. */
struct strto_result {
	uintmax_t magnitude; /* clamped to the limit on overflow */
	bool negative;
	bool overflow;
};

static int digit_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'Z') {
		return c - 'A' + 10;
	}
	return 36;
}

/* Reads a magnitude of at most limit_positive (limit_negative after '-'). */
static struct strto_result strto_parse(const char *s, char **end, int base,
				       uintmax_t limit_positive, uintmax_t limit_negative)
{
	struct strto_result result = { 0 };
	const char *p = s;
	const char *digits;
	uintmax_t limit;

	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end != NULL) {
			*end = (char *)s;
		}
		return result;
	}

	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p == '-' || *p == '+') {
		result.negative = *p == '-';
		p++;
	}
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}

	limit = result.negative ? limit_negative : limit_positive;
	for (digits = p; digit_value(*p) < base; p++) {
		unsigned int digit = (unsigned int)digit_value(*p);

		if (result.overflow || result.magnitude > (limit - digit) / (unsigned int)base) {
			result.overflow = true;
			result.magnitude = limit;
		} else {
			result.magnitude = result.magnitude * (unsigned int)base + digit;
		}
	}

	if (p == digits) {
		/* No digits: nothing was converted, not even the sign. */
		p = s;
		result.negative = false;
	}
	if (end != NULL) {
		*end = (char *)p;
	}
	if (result.overflow) {
		errno = ERANGE;
	}
	return result;
}

static intmax_t strto_signed(const char *s, char **end, int base, intmax_t min, intmax_t max)
{
	/* -(min + 1) + 1 is |min| without overflowing intmax_t. */
	struct strto_result r = strto_parse(s, end, base, (uintmax_t)max, (uintmax_t)-(min + 1) + 1);

	if (!r.negative) {
		return (intmax_t)r.magnitude;
	}
	return r.magnitude == 0 ? 0 : -(intmax_t)(r.magnitude - 1) - 1;
}

/* A '-' negates in the unsigned type, as C specifies; overflow is max. */
static uintmax_t strto_unsigned(const char *s, char **end, int base, uintmax_t max)
{
	struct strto_result r = strto_parse(s, end, base, max, max);

	if (r.overflow || !r.negative) {
		return r.magnitude;
	}
	return (0 - r.magnitude) & max;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)strto_signed(s, end, base, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return (long long)strto_signed(s, end, base, LLONG_MIN, LLONG_MAX);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
	return strto_signed(s, end, base, INTMAX_MIN, INTMAX_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)strto_unsigned(s, end, base, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long long)strto_unsigned(s, end, base, ULLONG_MAX);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
	return strto_unsigned(s, end, base, UINTMAX_MAX);
}

/* As glibc: the strtol result converted to int, without range checks. */
int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}
