/* printf formatting: one engine (format_print) and the string-producing
 * front ends (snprintf, sprintf, asprintf and their v-forms).  Output
 * matches glibc byte for byte for every supported conversion; the unit
 * tests compare the two. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

enum format_length {
	LENGTH_NONE,
	LENGTH_HH,
	LENGTH_H,
	LENGTH_L,
	LENGTH_LL,
	LENGTH_Z,
	LENGTH_J,
	LENGTH_T,
	LENGTH_LONG_DOUBLE,
};

/* One parsed conversion: %[flags][width][.precision][length]conv. */
struct format_spec {
	bool left;
	bool plus;
	bool space;
	bool zero;
	bool alt;
	int width;
	int precision; /* -1 when not given */
	enum format_length length;
	char conv;
};

struct format_out {
	format_put_fn *put;
	void *ctx;
	size_t total;
};

static void out_write(struct format_out *out, const char *s, size_t len)
{
	if (len > 0) {
		out->put(out->ctx, s, len);
		out->total += len;
	}
}

static void out_fill(struct format_out *out, char c, size_t count)
{
	char chunk[32];

	memset(chunk, c, sizeof(chunk));
	while (count > 0) {
		size_t len = count < sizeof(chunk) ? count : sizeof(chunk);

		out_write(out, chunk, len);
		count -= len;
	}
}

/* Writes body (len bytes) padded with spaces to the field width. */
static void out_field(struct format_out *out, const struct format_spec *spec, const char *body,
		      size_t len)
{
	size_t pad = (size_t)spec->width > len ? (size_t)spec->width - len : 0;

	if (!spec->left) {
		out_fill(out, ' ', pad);
	}
	out_write(out, body, len);
	if (spec->left) {
		out_fill(out, ' ', pad);
	}
}

/* Reads a decimal field-width or precision; false if it exceeds INT_MAX. */
static bool parse_decimal(const char **p, int *value)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		int digit = *(*p)++ - '0';

		if (v > (INT_MAX - digit) / 10) {
			return false;
		}
		v = v * 10 + digit;
	}
	*value = v;
	return true;
}

/* Parses the directive after '%' up to and including the conversion
 * character, taking '*' values from ap.  False on a width that does not
 * fit an int. */
static bool parse_spec(const char **p, va_list *ap, struct format_spec *spec)
{
	const char *s = *p;

	*spec = (struct format_spec){ .precision = -1 };
	for (;; s++) {
		if (*s == '-') {
			spec->left = true;
		} else if (*s == '+') {
			spec->plus = true;
		} else if (*s == ' ') {
			spec->space = true;
		} else if (*s == '0') {
			spec->zero = true;
		} else if (*s == '#') {
			spec->alt = true;
		} else {
			break;
		}
	}

	if (*s == '*') {
		int width = va_arg(*ap, int);

		s++;
		if (width == INT_MIN) {
			return false;
		}
		if (width < 0) {
			spec->left = true;
			width = -width;
		}
		spec->width = width;
	} else if (!parse_decimal(&s, &spec->width)) {
		return false;
	}

	if (*s == '.') {
		s++;
		if (*s == '*') {
			int precision = va_arg(*ap, int);

			s++;
			spec->precision = precision < 0 ? -1 : precision;
		} else if (!parse_decimal(&s, &spec->precision)) {
			return false;
		}
	}

	if (s[0] == 'h' && s[1] == 'h') {
		spec->length = LENGTH_HH;
		s += 2;
	} else if (s[0] == 'l' && s[1] == 'l') {
		spec->length = LENGTH_LL;
		s += 2;
	} else if (*s == 'h') {
		spec->length = LENGTH_H;
		s++;
	} else if (*s == 'l') {
		spec->length = LENGTH_L;
		s++;
	} else if (*s == 'z') {
		spec->length = LENGTH_Z;
		s++;
	} else if (*s == 'j') {
		spec->length = LENGTH_J;
		s++;
	} else if (*s == 't') {
		spec->length = LENGTH_T;
		s++;
	} else if (*s == 'L') {
		spec->length = LENGTH_LONG_DOUBLE;
		s++;
	}

	spec->conv = *s;
	if (*s != '\0') {
		s++;
	}
	*p = s;
	return true;
}

static intmax_t fetch_signed(va_list *ap, enum format_length length)
{
	switch (length) {
	case LENGTH_HH:
		return (signed char)va_arg(*ap, int);
	case LENGTH_H:
		return (short)va_arg(*ap, int);
	case LENGTH_L:
		return va_arg(*ap, long);
	case LENGTH_LL:
		return va_arg(*ap, long long);
	case LENGTH_Z:
	case LENGTH_T:
		/* The signed type of the same width as size_t/ptrdiff_t. */
		return va_arg(*ap, ptrdiff_t);
	case LENGTH_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t fetch_unsigned(va_list *ap, enum format_length length)
{
	switch (length) {
	case LENGTH_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LENGTH_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LENGTH_L:
		return va_arg(*ap, unsigned long);
	case LENGTH_LL:
		return va_arg(*ap, unsigned long long);
	case LENGTH_Z:
	case LENGTH_T:
		return va_arg(*ap, size_t);
	case LENGTH_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Writes an integer: [sign][0x][zeros to precision][digits], padded to the
 * width with spaces, or with zeros after the prefix for the 0 flag. */
static void print_integer(struct format_out *out, const struct format_spec *spec, uintmax_t value,
			  bool negative, bool is_signed)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digit_set = spec->conv == 'X' ? upper : lower;
	unsigned int base = 10;
	char digits[sizeof(uintmax_t) * CHAR_BIT / 3 + 1];
	size_t digit_count = 0;
	char prefix[3]; /* sign, then 0x */
	size_t prefix_len = 0;
	bool nonzero = value != 0;
	size_t zeros;
	size_t body;
	size_t pad;

	if (spec->conv == 'x' || spec->conv == 'X' || spec->conv == 'p') {
		base = 16;
	} else if (spec->conv == 'o') {
		base = 8;
	}

	/* Digits, least significant first; precision 0 with value 0 has none. */
	if (value != 0 || spec->precision != 0) {
		do {
			digits[digit_count++] = digit_set[value % base];
			value /= base;
		} while (value != 0);
	}

	if (negative) {
		prefix[prefix_len++] = '-';
	} else if (is_signed && spec->plus) {
		prefix[prefix_len++] = '+';
	} else if (is_signed && spec->space) {
		prefix[prefix_len++] = ' ';
	}
	if (base == 16 && (spec->conv == 'p' || (spec->alt && nonzero))) {
		prefix[prefix_len++] = '0';
		prefix[prefix_len++] = spec->conv == 'X' ? 'X' : 'x';
	}

	zeros = spec->precision > 0 && (size_t)spec->precision > digit_count
			? (size_t)spec->precision - digit_count
			: 0;
	/* '#' for octal: the first digit printed must be 0. */
	if (base == 8 && spec->alt && zeros == 0 &&
	    (digit_count == 0 || digits[digit_count - 1] != '0')) {
		zeros = 1;
	}

	body = prefix_len + zeros + digit_count;
	pad = (size_t)spec->width > body ? (size_t)spec->width - body : 0;
	if (spec->zero && !spec->left && spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!spec->left) {
		out_fill(out, ' ', pad);
	}
	out_write(out, prefix, prefix_len);
	out_fill(out, '0', zeros);
	while (digit_count > 0) {
		out_write(out, &digits[--digit_count], 1);
	}
	if (spec->left) {
		out_fill(out, ' ', pad);
	}
}

static void print_string(struct format_out *out, const struct format_spec *spec, const char *s)
{
	size_t len;

	if (s == NULL) {
		/* glibc prints "(null)" only where it fits the precision. */
		s = spec->precision < 0 || spec->precision >= 6 ? "(null)" : "";
	}
	len = spec->precision < 0 ? strlen(s) : strnlen(s, (size_t)spec->precision);
	out_field(out, spec, s, len);
}

static void print_pointer(struct format_out *out, struct format_spec *spec, const void *p)
{
	if (p == NULL) {
		/* glibc: "(nil)" as a string, never shortened by the precision. */
		spec->precision = -1;
		print_string(out, spec, "(nil)");
		return;
	}
	print_integer(out, spec, (uintptr_t)p, false, true);
}

/* An unsupported conversion: consume its argument where its type is known,
 * so later arguments stay in step, and print the directive as "<%...?>". */
static void print_unsupported(struct format_out *out, va_list *ap, const struct format_spec *spec,
			      const char *start, const char *end)
{
	switch (spec->conv) {
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		if (spec->length == LENGTH_LONG_DOUBLE) {
			(void)va_arg(*ap, long double);
		} else {
			(void)va_arg(*ap, double);
		}
		break;
	case 'c': /* with a length modifier: a wide character */
	case 'C':
		(void)va_arg(*ap, unsigned int);
		break;
	case 's': /* with a length modifier: a wide string */
	case 'S':
	case 'n':
		(void)va_arg(*ap, void *);
		break;
	default:
		break;
	}
	out_write(out, "<", 1);
	out_write(out, start, (size_t)(end - start));
	out_write(out, "?>", 2);
}

static void print_directive(struct format_out *out, va_list *ap, struct format_spec *spec,
			    const char *start, const char *end)
{
	intmax_t value;
	char c;

	switch (spec->conv) {
	case 'd':
	case 'i':
		value = fetch_signed(ap, spec->length);
		print_integer(out, spec, value < 0 ? -(uintmax_t)value : (uintmax_t)value, value < 0,
			      true);
		return;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		print_integer(out, spec, fetch_unsigned(ap, spec->length), false, false);
		return;
	case 'c':
		if (spec->length != LENGTH_NONE) {
			break;
		}
		c = (char)va_arg(*ap, int);
		out_field(out, spec, &c, 1);
		return;
	case 's':
		if (spec->length != LENGTH_NONE) {
			break;
		}
		print_string(out, spec, va_arg(*ap, const char *));
		return;
	case 'p':
		print_pointer(out, spec, va_arg(*ap, const void *));
		return;
	case '%':
		out_write(out, "%", 1);
		return;
	default:
		break;
	}
	print_unsupported(out, ap, spec, start, end);
}

int format_print(format_put_fn *put, void *ctx, const char *fmt, va_list ap)
{
	struct format_out out = { .put = put, .ctx = ctx };
	va_list args;
	const char *p = fmt;

	va_copy(args, ap);
	while (*p != '\0') {
		const char *start = p;
		struct format_spec spec;

		if (*p != '%') {
			while (*p != '\0' && *p != '%') {
				p++;
			}
			out_write(&out, start, (size_t)(p - start));
			continue;
		}
		p++;
		if (!parse_spec(&p, &args, &spec)) {
			va_end(args);
			errno = EOVERFLOW;
			return -1;
		}
		print_directive(&out, &args, &spec, start, p);
	}
	va_end(args);

	if (out.total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)out.total;
}

/* Fills a caller's buffer, dropping what does not fit and always leaving
 * room for the terminating NUL. */
struct buffer_sink {
	char *buf;
	size_t capacity; /* bytes that may be written, excluding the NUL */
	size_t used;
};

static void buffer_put(void *ctx, const char *s, size_t len)
{
	struct buffer_sink *sink = ctx;
	size_t room = sink->capacity - sink->used;
	size_t copy = len < room ? len : room;

	if (copy == 0) {
		return;
	}
	memcpy(sink->buf + sink->used, s, copy);
	sink->used += copy;
}

int vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
	struct buffer_sink sink = { .buf = s, .capacity = n > 0 ? n - 1 : 0 };
	int len = format_print(buffer_put, &sink, fmt, ap);

	if (n > 0) {
		s[sink.used] = '\0';
	}
	return len;
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return len;
}

/* No bound is known: the caller promises the buffer is large enough. */
int vsprintf(char *restrict s, const char *restrict fmt, va_list ap)
{
	return vsnprintf(s, SIZE_MAX, fmt, ap);
}

int sprintf(char *restrict s, const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsprintf(s, fmt, ap);
	va_end(ap);
	return len;
}

/* Measures first, then formats into an exact-size allocation.  On failure
 * *out is NULL and -1 is returned. */
int vasprintf(char **restrict out, const char *restrict fmt, va_list ap)
{
	va_list again;
	int len;

	*out = NULL;
	va_copy(again, ap);
	len = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (len < 0) {
		return -1;
	}
	*out = malloc((size_t)len + 1);
	if (*out == NULL) {
		return -1;
	}
	return vsnprintf(*out, (size_t)len + 1, fmt, ap);
}

int asprintf(char **restrict out, const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(out, fmt, ap);
	va_end(ap);
	return len;
}
