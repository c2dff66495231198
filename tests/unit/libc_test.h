/* Shared by the libc, heap and glibc-ABI unit tests.
 *
 * The code under test is Hillock's, compiled against the image's headers
 * and renamed X -> hl_X (see libc.mk); this header declares the hl_ names
 * the tests call, in host types.  Include after <cmocka.h>. */
#ifndef LIBC_TEST_H
#define LIBC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* --- The harness (libc_harness.c) ------------------------------------- */

/* Everything Hillock wrote to the console since the last reset. */
extern char harness_console[65536];
extern size_t harness_console_len;
void harness_console_reset(void);

/* The message of the last panic(). */
extern char harness_panic_message[1024];
/* Where panic() jumps; NULL makes a panic fail the test. */
extern jmp_buf *harness_panic_target;

/* Runs stmt and fails the test unless it panics. */
#define EXPECT_PANIC(stmt)                                                       \
	do {                                                                     \
		jmp_buf expect_panic_env_;                                       \
		harness_panic_target = &expect_panic_env_;                      \
		if (setjmp(expect_panic_env_) == 0) {                            \
			stmt;                                                    \
			harness_panic_target = NULL;                             \
			fail_msg("expected a panic from: %s", #stmt);            \
		}                                                                \
		harness_panic_target = NULL;                                     \
	} while (0)

/* What arch_time_ns() returns. */
extern uint64_t harness_time_ns;

/* A fixed-seed generator, so every run tests the same cases. */
void harness_seed(uint64_t seed);
uint64_t harness_random(void);
/* Uniform in [0, bound). */
uint64_t harness_below(uint64_t bound);

/* Host memory the page allocator manages (hl_pages_reset) for the heap's
 * grown regions and large blocks. */
#define HARNESS_RAM_SIZE (8 << 20)
/* Gives the page allocator all of that memory back, free. */
void harness_pages_reset(void);
/* Gives Hillock's heap a fresh region and fresh pages (malloc, strdup and
 * asprintf need it). */
void harness_heap_reset(void);

/* The image's ABI constants (image_abi.c, compiled like the image). */
struct image_constant {
	const char *name;
	long value;
};
extern const struct image_constant image_constants[];
long image_constant(const char *name);

/* --- Hillock's functions under their hl_ names ------------------------ */

extern __thread int hl_errno;
extern void *hl_stdout;
extern void *hl_stderr;

void *hl_memcpy(void *dst, const void *src, size_t n);
void *hl_memmove(void *dst, const void *src, size_t n);
void *hl_memset(void *dst, int c, size_t n);
int hl_memcmp(const void *a, const void *b, size_t n);
void *hl_memchr(const void *s, int c, size_t n);
size_t hl_strlen(const char *s);
size_t hl_strnlen(const char *s, size_t max);
int hl_strcmp(const char *a, const char *b);
int hl_strncmp(const char *a, const char *b, size_t n);
int hl_strcasecmp(const char *a, const char *b);
int hl_strncasecmp(const char *a, const char *b, size_t n);
char *hl_strchr(const char *s, int c);
char *hl_strrchr(const char *s, int c);
char *hl_strcpy(char *dst, const char *src);
char *hl_strncpy(char *dst, const char *src, size_t n);
char *hl_strcat(char *dst, const char *src);
char *hl_strncat(char *dst, const char *src, size_t n);
char *hl_strstr(const char *haystack, const char *needle);
size_t hl_strspn(const char *s, const char *accept);
size_t hl_strcspn(const char *s, const char *reject);
char *hl_strpbrk(const char *s, const char *accept);
char *hl_strtok_r(char *s, const char *delim, char **save);
char *hl_strdup(const char *s);
char *hl_strndup(const char *s, size_t n);
char *hl_strerror(int errnum);

int hl_isalnum(int c);
int hl_isalpha(int c);
int hl_isblank(int c);
int hl_iscntrl(int c);
int hl_isdigit(int c);
int hl_isgraph(int c);
int hl_islower(int c);
int hl_isprint(int c);
int hl_ispunct(int c);
int hl_isspace(int c);
int hl_isupper(int c);
int hl_isxdigit(int c);
int hl_tolower(int c);
int hl_toupper(int c);

int hl_snprintf(char *s, size_t n, const char *fmt, ...);
int hl_vsnprintf(char *s, size_t n, const char *fmt, va_list ap);
int hl_sprintf(char *s, const char *fmt, ...);
int hl_vsprintf(char *s, const char *fmt, va_list ap);
int hl_asprintf(char **out, const char *fmt, ...);
int hl_vasprintf(char **out, const char *fmt, va_list ap);
int hl_printf(const char *fmt, ...);
int hl_vprintf(const char *fmt, va_list ap);
int hl_fprintf(void *f, const char *fmt, ...);
int hl_vfprintf(void *f, const char *fmt, va_list ap);
int hl_dprintf(int fd, const char *fmt, ...);
int hl_vdprintf(int fd, const char *fmt, va_list ap);
int hl_putchar(int c);
int hl_puts(const char *s);
int hl_fputs(const char *s, void *f);
int hl_fputc(int c, void *f);
int hl_putc(int c, void *f);
size_t hl_fwrite(const void *p, size_t size, size_t count, void *f);
int hl_fflush(void *f);
int hl_ferror(void *f);
void *hl_fopen(const char *path, const char *mode);
int hl_fclose(void *f);
size_t hl_fread(void *p, size_t size, size_t count, void *f);
char *hl_fgets(char *s, int n, void *f);
int hl_fseek(void *f, long offset, int whence);
long hl_ftell(void *f);
int hl_remove(const char *path);
int hl_rename(const char *from, const char *to);

long hl_strtol(const char *s, char **end, int base);
unsigned long hl_strtoul(const char *s, char **end, int base);
long long hl_strtoll(const char *s, char **end, int base);
unsigned long long hl_strtoull(const char *s, char **end, int base);
intmax_t hl_strtoimax(const char *s, char **end, int base);
uintmax_t hl_strtoumax(const char *s, char **end, int base);
int hl_atoi(const char *s);
long hl_atol(const char *s);

void hl_qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
void *hl_bsearch(const void *key, const void *base, size_t count, size_t size,
		 int (*compare)(const void *, const void *));
int hl_rand(void);
void hl_srand(unsigned int seed);
int hl_rand_r(unsigned int *state);

/* The image's struct tm, timespec and timeval have glibc's layout. */
struct tm *hl_gmtime_r(const time_t *t, struct tm *out);
time_t hl_time(time_t *out);
clock_t hl_clock(void);
int hl_clock_gettime(int clock, struct timespec *out);
int hl_gettimeofday(void *tv, void *tz);

void hl_abort(void);
void hl_exit(int status);
char *hl_getenv(const char *name);
int hl_getpid(void);

void *hl_malloc(size_t size);
void hl_free(void *p);
void *hl_calloc(size_t count, size_t size);
void *hl_realloc(void *p, size_t size);
void *hl_reallocarray(void *p, size_t count, size_t size);
void *hl_aligned_alloc(size_t align, size_t size);
int hl_posix_memalign(void **out, size_t align, size_t size);
void *hl_memalign(size_t align, size_t size);
size_t hl_malloc_usable_size(void *p);

struct hl_heap_stats {
	size_t total;
	size_t used;
	size_t peak;
	size_t allocations;
};
void hl_heap_init(void *base, size_t size);
void hl_pages_reset(void *ram, size_t size);
void *hl_kmalloc(size_t size);
void *hl_kmalloc_aligned(size_t size, size_t align);
void hl_kfree(void *p);
void *hl_krealloc(void *p, size_t size);
size_t hl_kmalloc_usable_size(const void *p);
void hl_heap_stats(struct hl_heap_stats *out);

#endif
