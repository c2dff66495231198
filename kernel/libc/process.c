/* Process-level calls.  Hillock is one program with no parent to return
 * to, so leaving it is a panic, and its environment is empty. */
#include <stdlib.h>
#include <unistd.h>

#include <hillock/panic.h>

_Noreturn void abort(void)
{
	panic("abort() called");
}

_Noreturn void exit(int status)
{
	panic("exit(%d) called", status);
}

char *getenv(const char *name)
{
	(void)name;
	return NULL;
}

pid_t getpid(void)
{
	return 1;
}
