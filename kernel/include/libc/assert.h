/* assert() reports through glibc's __assert_fail(), which panics; the same
 * entry point serves the prebuilt glibc-built libraries. */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
_Noreturn void __assert_fail(const char *expr, const char *file, unsigned int line,
			     const char *function);
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef static_assert
#define static_assert _Static_assert
#endif
