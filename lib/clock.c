#include "clock.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

uint64_t hk_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * HK_USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t hk_now_ms(void)
{
	return hk_now_us() / 1000;
}

int hk_timerfd_open(void)
{
	return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

int hk_timerfd_at(int fd, uint64_t at_us)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(at_us / HK_USEC_PER_SEC);
	its.it_value.tv_nsec = (long)(at_us % HK_USEC_PER_SEC) * 1000;
	return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
}

int64_t hk_timerfd_ack(int fd)
{
	uint64_t n;
	ssize_t r = read(fd, &n, sizeof(n));

	if (r == (ssize_t)sizeof(n))
		return (int64_t)n;
	if (r < 0 && errno == EAGAIN)
		return 0;
	if (r >= 0)
		errno = EIO;
	return -1;
}

int hk_signalfd_open(const int *sigs, size_t n)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int hk_signalfd_read(int fd, int *pid)
{
	struct signalfd_siginfo si;
	ssize_t r = read(fd, &si, sizeof(si));

	if (r == (ssize_t)sizeof(si)) {
		if (pid)
			*pid = (int)si.ssi_pid;
		return (int)si.ssi_signo;
	}
	if (r < 0 && errno == EAGAIN)
		return 0;
	if (r >= 0)
		errno = EIO;
	return -1;
}

void hk_signals_reset(void)
{
	sigset_t set;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}
