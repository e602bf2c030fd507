/*
 * Monotonic time and the descriptors a poll/epoll loop waits on:
 * timerfd on CLOCK_MONOTONIC for timers, signalfd for signals.  Times are
 * microseconds since an arbitrary origin (CLOCK_MONOTONIC), so wall-clock
 * steps never fire or starve a timer.
 */
#ifndef HK_CLOCK_H
#define HK_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define HK_USEC_PER_SEC ((uint64_t)1000000)

/* CLOCK_MONOTONIC now, in microseconds / milliseconds. */
uint64_t hk_now_us(void);
uint64_t hk_now_ms(void);

/*
 * Open a non-blocking, close-on-exec timerfd on CLOCK_MONOTONIC.
 * Returns the descriptor, or -1 with errno from timerfd_create(2).
 */
int hk_timerfd_open(void);

/*
 * Arm fd to fire once at the absolute monotonic time at_us (a time
 * already past fires at once).  at_us == 0 disarms it.  Returns 0, or -1
 * with errno from timerfd_settime(2).
 */
int hk_timerfd_at(int fd, uint64_t at_us);

/*
 * Consume a timerfd's expirations after poll reported it readable.
 * Returns the number of expirations (0 if it had not fired: EAGAIN is
 * not an error), or -1 with errno from read(2).
 */
int64_t hk_timerfd_ack(int fd);

/*
 * Block the n signals in sigs for the calling thread and return a
 * non-blocking, close-on-exec signalfd that reports them.  Returns -1
 * with errno from sigprocmask(2) or signalfd(2).  Children started later
 * must unblock them (hk_signals_unblock_all() in the child).
 */
int hk_signalfd_open(const int *sigs, size_t n);

/*
 * Read one pending signal from a signalfd.  Returns the signal number,
 * 0 if none was pending, or -1 with errno from read(2).  *pid, if not
 * NULL, receives the sender's pid (the child, for SIGCHLD).
 */
int hk_signalfd_read(int fd, int *pid);

/* Unblock every signal and restore default dispositions; for a child
 * between fork and exec. */
void hk_signals_reset(void);

#endif
