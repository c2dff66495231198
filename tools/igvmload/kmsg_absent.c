/* The loader image keeps no kernel log (kernel/kmsg.c is Hillock's): a
 * fatal report's record goes to the console only. */
#include <hillock/kmsg.h>

void kmsg_emergency(const char *text)
{
	(void)text;
}
