/*
 * The exit-code contract, written once.  Every man page repeats it.
 *
 * Control tools and daemons (vrrpd, vipctl, ipvsctl, kaconf, hakit):
 *   0  success
 *   1  the operation failed (the kernel refused, a peer did not answer)
 *   2  bad usage or configuration; nothing was changed
 *
 * Probes (hcheck, genhash) follow the monitoring-plugins convention so
 * that they run unchanged as Nagios/Icinga plugins and in `if` tests:
 *   0  OK
 *   1  WARNING   (slow, certificate expiring)
 *   2  CRITICAL  (refused, timeout, bad status or body, TLS failure)
 *   3  UNKNOWN   (bad usage, local error)
 */
#ifndef HK_EXITCODE_H
#define HK_EXITCODE_H

enum {
	HK_EXIT_OK = 0,
	HK_EXIT_FAIL = 1,
	HK_EXIT_USAGE = 2,
};

enum {
	HK_PROBE_OK = 0,
	HK_PROBE_WARNING = 1,
	HK_PROBE_CRITICAL = 2,
	HK_PROBE_UNKNOWN = 3,
};

#endif
