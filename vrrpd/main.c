/* vrrpd: one VRRP instance per process.  Options only; see conf.c. */
#include "conf.h"
#include "daemon.h"
#include "exitcode.h"
#include "log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: vrrpd [-i IFACE] --vrid 1-255 --vip 'ADDR[/PLEN] [dev IF] [label LABEL]' [--vip ...]\n"
	"             [--priority 1-255] [--advert-int SECONDS] [--version 2|3]\n"
	"             [--no-preempt] [--preempt-delay SECONDS] [--state backup|master]\n"
	"             [--auth-pass-file FILE] [--unicast-src ADDR] [--unicast-peer ADDR ...]\n"
	"             [--mcast-group ADDR] [--v3-checksum-as-v2]\n"
	"             [--garp-delay SECONDS] [--garp-repeat N] [--garp-refresh SECONDS]\n"
	"             [--notify HOOK] [--notify-master CMD] [--notify-backup CMD]\n"
	"             [--notify-fault CMD] [--notify-stop CMD] [--hook-timeout SECONDS]\n"
	"             [--track-interface IF[:WEIGHT] ...] [--track-file PATH[:WEIGHT] ...]\n"
	"             [--track-script CMD [--track-interval SECONDS] [--track-timeout SECONDS]\n"
	"              [--track-weight -253..253] [--track-rise N] [--track-fall N] ...]\n"
	"             [--sync-group NAME [--sync-dir DIR] [--group-notify HOOK]]\n"
	"             [--vmac] [--accept | --no-accept] [--strict]\n"
	"             [--script-user USER] [--allow-root-scripts]\n"
	"             [--rt-priority 1-99 [--rlimit-rttime SECONDS]] [--nice -20..19] [--mlock]\n"
	"             [--cpu-affinity CPUS]\n"
	"             [--name NAME] [--state-file PATH] [--dump-file PATH]\n"
	"             [--config FILE] [-f] [-n] [-v]\n"
	"       vrrpd -h\n";

int main(int argc, char **argv)
{
	/* Static, not on the heap: an exit on a usage error must not look
	 * like a leak to LeakSanitizer, and the daemon keeps it for life. */
	static struct vrrp_conf conf;
	struct vrrp_conf *c = &conf;
	struct hk_err e;
	bool usage_err;
	int code, r;

	sigset_t early;

	/* The signals the loop reads from a signalfd are blocked from the
	 * first instruction: a SIGUSR1 (or SIGHUP) sent while vrrpd starts
	 * would otherwise kill it; blocked, it waits for the loop. */
	sigemptyset(&early);
	sigaddset(&early, SIGTERM);
	sigaddset(&early, SIGINT);
	sigaddset(&early, SIGHUP);
	sigaddset(&early, SIGUSR1);
	sigaddset(&early, SIGCHLD);
	sigaddset(&early, SIGXCPU);
	sigprocmask(SIG_BLOCK, &early, NULL);
	hk_log_init("vrrpd", HK_LOG_STDERR, LOG_INFO);
	vrrp_conf_init(c);
	r = vrrp_apply_args(argc, argv, c, &e, &usage_err);
	if (r == 1) {
		fputs(usage, stdout);
		vrrp_conf_free(c);
		return HK_EXIT_OK;
	}
	if (r < 0 && usage_err) {
		fprintf(stderr, "vrrpd: %s\n%s", e.msg, usage);
		return HK_EXIT_USAGE;
	}
	if (r < 0)
		hk_die(HK_EXIT_USAGE, "%s", e.msg);
	if (c->verbose)
		hk_log_init("vrrpd", HK_LOG_STDERR, LOG_DEBUG);
	if (vrrp_conf_finish(c, &e) < 0)
		hk_die(HK_EXIT_USAGE, "%s", e.msg);
	if (c->check) {
		vrrp_conf_print(stdout, c);
		code = fflush(stdout) == 0 ? HK_EXIT_OK : HK_EXIT_FAIL;
	} else {
		code = vrrp_run(c, argc, argv);
	}
	vrrp_conf_free(c);
	return code;
}
