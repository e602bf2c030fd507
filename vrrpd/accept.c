#include "accept.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const nft_paths[] = { "/usr/sbin/nft", "/sbin/nft", NULL };

void vrrp_accept_table(const struct vrrp_conf *c, char *buf, size_t len)
{
	snprintf(buf, len, "hakit_vrrp%d_%u_%u", c->family == AF_INET6 ? 6 : 4, c->base_ifindex,
		 c->vrid);
}

static void addr_set(FILE *f, const struct vrrp_conf *c, int family)
{
	char a[HK_ADDRSTRLEN];
	bool first = true;

	fprintf(f, "{ ");
	for (size_t i = 0; i < c->nvips; i++) {
		if (c->vips[i].pfx.addr.family != family)
			continue;
		fprintf(f, "%s%s", first ? "" : ", ", hk_addr_str(&c->vips[i].pfx.addr, a));
		first = false;
	}
	fprintf(f, " }");
}

char *vrrp_accept_script(const struct vrrp_conf *c)
{
	char table[64], *buf = NULL;
	size_t len = 0;
	bool v4 = false, v6 = false;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < c->nvips; i++) {
		v4 |= c->vips[i].pfx.addr.family == AF_INET;
		v6 |= c->vips[i].pfx.addr.family == AF_INET6;
	}
	vrrp_accept_table(c, table, sizeof(table));
	/* Made, deleted and made again in one transaction: the old
	 * table (a reload, a killed run) goes atomically. */
	fprintf(f, "table inet %s\ndelete table inet %s\n", table, table);
	fprintf(f, "table inet %s {\n\tchain input {\n", table);
	fprintf(f, "\t\ttype filter hook input priority -10; policy accept;\n");
	if (v4) {
		fprintf(f, "\t\tip daddr ");
		addr_set(f, c, AF_INET);
		fprintf(f, " drop\n");
	}
	if (v6) {
		fprintf(f, "\t\tip6 daddr ");
		addr_set(f, c, AF_INET6);
		fprintf(f, " icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n");
		fprintf(f, "\t\tip6 daddr ");
		addr_set(f, c, AF_INET6);
		fprintf(f, " drop\n");
	}
	fprintf(f, "\t}\n}\n");
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int vrrp_accept_nft(const char *script, int wait, struct hk_err *e)
{
	const char *nft = NULL;
	int in[2], out[2] = { -1, -1 };
	pid_t pid;
	size_t len = strlen(script);

	for (int i = 0; nft_paths[i] && !nft; i++)
		if (access(nft_paths[i], X_OK) == 0)
			nft = nft_paths[i];
	if (!nft)
		return hk_err_set(e, ENOENT, "--no-accept needs nft(8) (Debian package nftables)");
	/* The script fits a pipe (at most 255 addresses): written at once. */
	if (len > 60000)
		return hk_err_set(e, E2BIG, "the nftables script is too large");
	if (pipe2(in, O_CLOEXEC) < 0 || (wait && pipe2(out, O_CLOEXEC) < 0))
		return hk_err_set(e, errno, "cannot run nft: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(in[0]);
		close(in[1]);
		if (out[0] >= 0) {
			close(out[0]);
			close(out[1]);
		}
		return hk_err_set(e, saved, "cannot run nft: %s", strerror(saved));
	}
	if (pid == 0) {
		hk_signals_reset();
		dup2(in[0], STDIN_FILENO);
		if (out[1] >= 0) {
			dup2(out[1], STDOUT_FILENO);
			dup2(out[1], STDERR_FILENO);
		}
		closefrom(STDERR_FILENO + 1);
		execl(nft, "nft", "-f", "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	if (write(in[1], script, len) != (ssize_t)len) {
		/* nft will find its input cut and say so. */
	}
	close(in[1]);
	if (!wait)
		return pid;
	close(out[1]);

	char msg[512];
	size_t got = 0;
	int st = -1;
	uint64_t deadline = hk_now_us() + 5 * HK_USEC_PER_SEC;

	for (;;) {
		struct pollfd p = { out[0], POLLIN, 0 };
		uint64_t now = hk_now_us();
		ssize_t n;

		if (now >= deadline || poll(&p, 1, (int)((deadline - now) / 1000) + 1) <= 0)
			break;
		n = read(out[0], msg + got, sizeof(msg) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(msg) - 1)
			break;
	}
	close(out[0]);
	msg[got] = '\0';
	for (int i = 0; i < 50 && waitpid(pid, &st, WNOHANG) == 0; i++)
		usleep(100000);
	if (st == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return hk_err_set(e, ETIMEDOUT, "nft did not finish in 5 s");
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	/* nft's first line says what it disliked. */
	msg[strcspn(msg, "\n")] = '\0';
	return hk_err_set(e, EIO, "nft failed (%s%d): %s",
			  WIFEXITED(st) ? "exit " : "signal ",
			  WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), got ? msg : "no message");
}
