/* Each CPU runs Hillock on SP_EL0 and takes exceptions and interrupts on
 * an exception stack of its own, SP_EL2, whose top TPIDR_EL2 also holds
 * (see vectors.S).  The boot CPU's is in .bss.boot (entry.S), each AP's
 * from stack_alloc() (smp.c, ap_entry.S).  A report needs about 2 KiB, an
 * interrupt 800 bytes of frame plus its handler. */
#ifndef ARCH_EXCEPTION_STACK_H
#define ARCH_EXCEPTION_STACK_H

#define EXCEPTION_STACK_SIZE 16384

#endif
