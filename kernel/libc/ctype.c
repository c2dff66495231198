/* Character classes of the C locale (ASCII; bytes 128..255 are in no
 * class).  Written as comparisons: there is only one locale. */
#include <ctype.h>

static int ctype_in(int c, int lo, int hi)
{
	return c >= lo && c <= hi;
}

int isupper(int c)
{
	return ctype_in(c, 'A', 'Z');
}

int islower(int c)
{
	return ctype_in(c, 'a', 'z');
}

int isalpha(int c)
{
	return isupper(c) || islower(c);
}

int isdigit(int c)
{
	return ctype_in(c, '0', '9');
}

int isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

int isxdigit(int c)
{
	return isdigit(c) || ctype_in(c, 'a', 'f') || ctype_in(c, 'A', 'F');
}

int isblank(int c)
{
	return c == ' ' || c == '\t';
}

int isspace(int c)
{
	return c == ' ' || ctype_in(c, '\t', '\r');
}

int iscntrl(int c)
{
	return ctype_in(c, 0, 0x1f) || c == 0x7f;
}

int isprint(int c)
{
	return ctype_in(c, ' ', '~');
}

int isgraph(int c)
{
	return ctype_in(c, '!', '~');
}

int ispunct(int c)
{
	return isgraph(c) && !isalnum(c);
}

int tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

int toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}
