/*
 * Generic netlink to the kernel's IPVS, with libnl-genl-3 for the
 * socket, the family and the messages.  Requests are batched: many go
 * out in one sendmsg, and the answers (one datagram per acknowledgement)
 * come back through recvmmsg, many per system call, because libnl's
 * nl_recv() reads one datagram per call and a restore of ten thousand
 * destinations would otherwise cost ten thousand of them.
 */
#include "nl.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCH_MSGS 256			/* requests per sendmsg */
#define BATCH_BYTES (128 * 1024)
#define RX_SLOTS 64			/* datagrams per recvmmsg */
/*
 * The kernel sizes a dump's datagrams to the largest buffer this socket
 * ever read into (and trims them to that), at least NLMSG_GOODSIZE,
 * which is below a page.  One page keeps each dump round to one small
 * allocation; a bigger buffer makes it allocate (and zero) up to 32 KiB
 * per round, which costs more than the dump itself.
 */
#define RX_SLOT_BYTES 4096

typedef int (*data_cb)(struct nlmsghdr *h, void *arg);

struct pending {
	uint32_t seq;
	int err;			/* positive errno, 0 */
	bool done;
	data_cb on_data;
	void *arg;
};

struct ipvs_nl {
	struct nl_sock *sk;
	int family;
	uint8_t *tx;			/* the batch being built */
	size_t txlen;
	struct pending pend[BATCH_MSGS];
	size_t npend;
	uint8_t *rx;			/* RX_SLOTS * RX_SLOT_BYTES */
	struct mmsghdr mm[RX_SLOTS];
	struct iovec iov[RX_SLOTS];
	bool stats;			/* parse counters in dumps */
	char kmsg[256];
};

extern char **environ;

void ipvs_nl_stats(struct ipvs_nl *nl, bool on)
{
	nl->stats = on;
}

const char *ipvs_nl_kmsg(const struct ipvs_nl *nl)
{
	return nl->kmsg;
}

/* ---------------------------------------------------------------- open */

/* Load ip_vs the way the kernel itself would: its modprobe, quietly. */
static void load_ip_vs(void)
{
	char path[256] = "/sbin/modprobe";
	FILE *f = fopen("/proc/sys/kernel/modprobe", "re");
	char *argv[] = { path, "-q", "--", "ip_vs", NULL };
	pid_t pid;
	int st;

	if (f) {
		if (fgets(path, sizeof(path), f))
			path[strcspn(path, "\n")] = '\0';
		fclose(f);
	}
	if (path[0] != '/')
		return;
	if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0)
		return;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The family's id, looked up on a socket of its own: libnl reads the
 * answer into 16 KiB, which would set the kernel's dump size for the
 * socket used afterwards (see RX_SLOT_BYTES). */
static int resolve(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id = -1;

	if (sk && genl_connect(sk) == 0)
		id = genl_ctrl_resolve(sk, IPVS_GENL_NAME);
	if (sk)
		nl_socket_free(sk);
	return id;
}

struct ipvs_nl *ipvs_nl_open(struct hk_err *e)
{
	struct ipvs_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, r;

	if (!nl || !(nl->tx = malloc(BATCH_BYTES + 65536)) ||
	    !(nl->rx = malloc((size_t)RX_SLOTS * RX_SLOT_BYTES)) || !(nl->sk = nl_socket_alloc())) {
		hk_err_set(e, ENOMEM, "out of memory");
		goto fail;
	}
	r = genl_connect(nl->sk);
	if (r < 0) {
		hk_err_set(e, EPROTONOSUPPORT, "cannot open a generic netlink socket: %s", nl_geterror(r));
		goto fail;
	}
	nl->family = resolve();
	if (nl->family < 0) {
		load_ip_vs();
		nl->family = resolve();
	}
	if (nl->family < 0) {
		hk_err_set(e, ENOENT, "this kernel has no IPVS (the netlink family IPVS is missing and module ip_vs did not load)");
		goto fail;
	}
	nl->stats = true;
	for (int i = 0; i < RX_SLOTS; i++) {
		nl->iov[i].iov_base = nl->rx + (size_t)i * RX_SLOT_BYTES;
		nl->iov[i].iov_len = RX_SLOT_BYTES;
		nl->mm[i].msg_hdr.msg_iov = &nl->iov[i];
		nl->mm[i].msg_hdr.msg_iovlen = 1;
	}
	/* Answers are matched by sequence number here, not by libnl. */
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_disable_auto_ack(nl->sk);
	/* The kernel's sentences with refusals, and no echo of the request. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Room for a whole batch of acknowledgements (about 600 bytes of
	 * socket memory each) and a batch of requests. */
	{
		int sz = 4 << 20;

		if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
			setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
			setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	return nl;
fail:
	ipvs_nl_close(nl);
	return NULL;
}

void ipvs_nl_close(struct ipvs_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl->tx);
	free(nl->rx);
	free(nl);
}

/* ------------------------------------------------------------- batches */

static struct nl_msg *new_msg(struct ipvs_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return NULL;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags, cmd,
			 IPVS_GENL_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* Whether m still fits in the batch. */
static bool fits(const struct ipvs_nl *nl, struct nl_msg *m)
{
	return nl->npend < BATCH_MSGS &&
	       nl->txlen + NLMSG_ALIGN(nlmsg_hdr(m)->nlmsg_len) <= BATCH_BYTES;
}

/* Add m (freed here) to the batch, which must have room (fits());
 * its answers go to cb. */
static void queue(struct ipvs_nl *nl, struct nl_msg *m, data_cb cb, void *arg)
{
	struct nlmsghdr *h;
	size_t len;

	nl_complete_msg(nl->sk, m);
	h = nlmsg_hdr(m);
	len = NLMSG_ALIGN(h->nlmsg_len);
	memcpy(nl->tx + nl->txlen, h, h->nlmsg_len);
	memset(nl->tx + nl->txlen + h->nlmsg_len, 0, len - h->nlmsg_len);
	nl->txlen += len;
	nl->pend[nl->npend] = (struct pending){ .seq = h->nlmsg_seq, .on_data = cb, .arg = arg };
	nl->npend++;
	nlmsg_free(m);
}

/* Keep the kernel's extended-ack sentence of a refusal, if any. */
static void keep_extack(struct ipvs_nl *nl, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = (const struct nlmsgerr *)NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		const struct nlattr *a = (const struct nlattr *)((const char *)h + off);
		size_t n;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			n = a->nla_len - NLA_HDRLEN;
			if (n >= sizeof(nl->kmsg))
				n = sizeof(nl->kmsg) - 1;
			memcpy(nl->kmsg, (const char *)a + NLA_HDRLEN, n);
			nl->kmsg[n] = '\0';
			nl->kmsg[strcspn(nl->kmsg, "\n")] = '\0';
			return;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/* One answer h to the pending request it names. */
static void answer(struct ipvs_nl *nl, struct nlmsghdr *h, size_t *ndone)
{
	struct pending *p;
	size_t k;

	if (!nl->npend)
		return;
	k = h->nlmsg_seq - nl->pend[0].seq;
	if (k >= nl->npend)
		return;		/* not ours: ignore */
	p = &nl->pend[k];
	if (p->done)
		return;
	switch (h->nlmsg_type) {
	case NLMSG_ERROR:
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
			p->err = EPROTO;
		} else {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			p->err = e->error < 0 ? -e->error : e->error;
			if (p->err)
				keep_extack(nl, h);
		}
		p->done = true;
		(*ndone)++;
		break;
	case NLMSG_DONE:
		/* A dump's end; it may carry the dump's error. */
		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
			int err;

			memcpy(&err, NLMSG_DATA(h), sizeof(err));
			if (err < 0 && !p->err)
				p->err = -err;
		}
		p->done = true;
		(*ndone)++;
		break;
	case NLMSG_NOOP:
		break;
	default:
		if (p->on_data) {
			int r = p->on_data(h, p->arg);

			if (r < 0 && !p->err)
				p->err = -r;
		}
		break;
	}
}

/* Send the batch and wait for every request's answer.  Returns 0 (each
 * request's outcome is in nl->pend[].err) or a negative errno. */
static int flush(struct ipvs_nl *nl)
{
	int fd = nl_socket_get_fd(nl->sk);
	struct mmsghdr *mm = nl->mm;
	size_t ndone = 0;
	ssize_t w;

	if (!nl->npend)
		return 0;
	do
		w = send(fd, nl->tx, nl->txlen, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	nl->txlen = 0;
	while (ndone < nl->npend) {
		int got;

		got = recvmmsg(fd, mm, RX_SLOTS, MSG_WAITFORONE, NULL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS: answers were lost; what is known stays known. */
			return -errno;
		}
		for (int i = 0; i < got; i++) {
			struct nlmsghdr *h = nl->iov[i].iov_base;
			int rem = (int)mm[i].msg_len;

			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC)
				return -EMSGSIZE;
			for (; nlmsg_ok(h, rem); h = nlmsg_next(h, &rem))
				answer(nl, h, &ndone);
		}
	}
	return 0;
}

/* Send one request now and wait: its error (negative), or 0. */
static int one(struct ipvs_nl *nl, struct nl_msg *m, data_cb cb, void *arg)
{
	int r;

	if (!m)
		return -ENOMEM;
	nl->kmsg[0] = '\0';
	nl->npend = 0;
	nl->txlen = 0;
	queue(nl, m, cb, arg);
	r = flush(nl);
	if (r == 0)
		r = -nl->pend[0].err;
	nl->npend = 0;
	return r;
}

/* -------------------------------------------------------------- attributes */

static int put_addr(struct nl_msg *m, int type, const struct hk_addr *a)
{
	uint8_t b[16] = { 0 };

	memcpy(b, a->bytes, hk_addr_len(a));
	return nla_put(m, type, sizeof(b), b);
}

static int put_svc(struct nl_msg *m, const struct ipvs_service *s, bool full)
{
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	struct ip_vs_flags f = { .flags = s->flags, .mask = ~0u };

	if (!n || nla_put_u16(m, IPVS_SVC_ATTR_AF, (uint16_t)s->af) < 0)
		return -1;
	if (s->fwmark) {
		if (nla_put_u32(m, IPVS_SVC_ATTR_FWMARK, s->fwmark) < 0)
			return -1;
	} else if (nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, s->protocol) < 0 ||
		   put_addr(m, IPVS_SVC_ATTR_ADDR, &s->addr) < 0 ||
		   nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(s->port)) < 0) {
		return -1;
	}
	if (full) {
		if (nla_put_string(m, IPVS_SVC_ATTR_SCHED_NAME, s->sched) < 0 ||
		    (s->pe[0] && nla_put_string(m, IPVS_SVC_ATTR_PE_NAME, s->pe) < 0) ||
		    nla_put(m, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f) < 0 ||
		    nla_put_u32(m, IPVS_SVC_ATTR_TIMEOUT, s->timeout) < 0 ||
		    nla_put_u32(m, IPVS_SVC_ATTR_NETMASK, s->netmask) < 0)
			return -1;
	}
	nla_nest_end(m, n);
	return 0;
}

static int put_dest(struct nl_msg *m, const struct ipvs_dest *d, bool full)
{
	struct nlattr *n = nla_nest_start(m, IPVS_CMD_ATTR_DEST);

	if (!n || put_addr(m, IPVS_DEST_ATTR_ADDR, &d->addr) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_PORT, htons(d->port)) < 0 ||
	    nla_put_u16(m, IPVS_DEST_ATTR_ADDR_FAMILY, d->addr.family) < 0)
		return -1;
	if (full) {
		if (nla_put_u32(m, IPVS_DEST_ATTR_FWD_METHOD, d->fwd) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_WEIGHT, d->weight) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_U_THRESH, d->uthresh) < 0 ||
		    nla_put_u32(m, IPVS_DEST_ATTR_L_THRESH, d->lthresh) < 0)
			return -1;
		if (d->fwd == IP_VS_CONN_F_TUNNEL &&
		    (nla_put_u8(m, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type) < 0 ||
		     nla_put_u16(m, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port)) < 0 ||
		     nla_put_u16(m, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags) < 0))
			return -1;
	}
	nla_nest_end(m, n);
	return 0;
}

/* The request for change c, or NULL (out of memory). */
static struct nl_msg *change_msg(struct ipvs_nl *nl, const struct ipvs_change *c)
{
	static const uint8_t cmd[] = {
		[IPVS_OP_ADD_SVC] = IPVS_CMD_NEW_SERVICE, [IPVS_OP_SET_SVC] = IPVS_CMD_SET_SERVICE,
		[IPVS_OP_DEL_SVC] = IPVS_CMD_DEL_SERVICE, [IPVS_OP_ADD_DEST] = IPVS_CMD_NEW_DEST,
		[IPVS_OP_SET_DEST] = IPVS_CMD_SET_DEST, [IPVS_OP_DEL_DEST] = IPVS_CMD_DEL_DEST,
		[IPVS_OP_FLUSH] = IPVS_CMD_FLUSH,
	};
	struct nl_msg *m;
	bool full_svc = c->op == IPVS_OP_ADD_SVC || c->op == IPVS_OP_SET_SVC;
	bool dest = c->op == IPVS_OP_ADD_DEST || c->op == IPVS_OP_SET_DEST ||
		    c->op == IPVS_OP_DEL_DEST;

	if (c->op == IPVS_OP_NONE || c->op > IPVS_OP_FLUSH)
		return NULL;
	m = new_msg(nl, cmd[c->op], NLM_F_ACK);
	if (!m)
		return NULL;
	if (c->op != IPVS_OP_FLUSH && put_svc(m, &c->svc, full_svc) < 0)
		goto fail;
	if (dest && put_dest(m, &c->dest, c->op != IPVS_OP_DEL_DEST) < 0)
		goto fail;
	return m;
fail:
	nlmsg_free(m);
	return NULL;
}

/* Send the batch, record its outcomes from res[base] on; returns the
 * number of refusals, or a negative errno. */
static int harvest(struct ipvs_nl *nl, int *res, size_t base)
{
	int r = flush(nl), refused = 0;

	for (size_t k = 0; k < nl->npend; k++) {
		res[base + k] = nl->pend[k].done ? nl->pend[k].err : -1;
		refused += res[base + k] > 0;
	}
	nl->npend = 0;
	return r < 0 ? r : refused;
}

int ipvs_nl_exec(struct ipvs_nl *nl, const struct ipvs_change *c, size_t n, int *res, bool stop)
{
	size_t base = 0;
	int refused = 0, r;

	for (size_t k = 0; k < n; k++)
		res[k] = -1;
	nl->kmsg[0] = '\0';
	nl->npend = 0;
	nl->txlen = 0;
	for (size_t i = 0; i < n; i++) {
		struct nl_msg *m = change_msg(nl, &c[i]);

		if (!m)
			return -ENOMEM;
		if (!fits(nl, m)) {
			size_t sent = nl->npend;

			r = harvest(nl, res, base);
			base += sent;
			if (r >= 0)
				refused += r;
			if (r < 0 || (stop && refused)) {
				nlmsg_free(m);
				return r < 0 ? r : refused;
			}
		}
		queue(nl, m, NULL, NULL);
	}
	r = harvest(nl, res, base);
	return r < 0 ? r : refused + r;
}

/* -------------------------------------------------------------- parsing */

static struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC, .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

static struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

static uint64_t stat_val(const struct nlattr *a)
{
	if (!a)
		return 0;
	if (nla_len(a) >= 8)
		return nla_get_u64((struct nlattr *)a);
	if (nla_len(a) >= 4)
		return nla_get_u32((struct nlattr *)a);
	return 0;
}

static void get_stats(struct nlattr *s64, struct nlattr *s32, struct ipvs_stats *st)
{
	struct nlattr *a[IPVS_STATS_ATTR_MAX + 1];
	struct nlattr *n = s64 ? s64 : s32;

	memset(st, 0, sizeof(*st));
	if (!n || nla_parse_nested(a, IPVS_STATS_ATTR_MAX, n, NULL) < 0)
		return;
	st->conns = stat_val(a[IPVS_STATS_ATTR_CONNS]);
	st->inpkts = stat_val(a[IPVS_STATS_ATTR_INPKTS]);
	st->outpkts = stat_val(a[IPVS_STATS_ATTR_OUTPKTS]);
	st->inbytes = stat_val(a[IPVS_STATS_ATTR_INBYTES]);
	st->outbytes = stat_val(a[IPVS_STATS_ATTR_OUTBYTES]);
	st->cps = stat_val(a[IPVS_STATS_ATTR_CPS]);
	st->inpps = stat_val(a[IPVS_STATS_ATTR_INPPS]);
	st->outpps = stat_val(a[IPVS_STATS_ATTR_OUTPPS]);
	st->inbps = stat_val(a[IPVS_STATS_ATTR_INBPS]);
	st->outbps = stat_val(a[IPVS_STATS_ATTR_OUTBPS]);
}

static void get_addr(const struct nlattr *a, int af, struct hk_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = (sa_family_t)af;
	memcpy(out->bytes, nla_data(a), (size_t)nla_len(a) < hk_addr_len(out) ?
	       (size_t)nla_len(a) : hk_addr_len(out));
}

static void get_str(const struct nlattr *a, char *dst, size_t len)
{
	size_t n = a ? strnlen(nla_data(a), (size_t)nla_len(a)) : 0;

	if (n >= len)
		n = len - 1;
	if (n)
		memcpy(dst, nla_data(a), n);
	dst[n] = '\0';
}

/* A service out of its nested attribute. */
static int parse_svc(struct nlattr *nest, bool stats, struct ipvs_service *s)
{
	struct nlattr *a[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags f;

	memset(s, 0, sizeof(*s));
	if (!nest || nla_parse_nested(a, IPVS_SVC_ATTR_MAX, nest, svc_policy) < 0 ||
	    !a[IPVS_SVC_ATTR_AF] || !a[IPVS_SVC_ATTR_SCHED_NAME] || !a[IPVS_SVC_ATTR_FLAGS])
		return -EPROTO;
	s->af = nla_get_u16(a[IPVS_SVC_ATTR_AF]);
	if (s->af != AF_INET && s->af != AF_INET6)
		return -EPROTO;
	if (a[IPVS_SVC_ATTR_FWMARK] && nla_get_u32(a[IPVS_SVC_ATTR_FWMARK])) {
		s->fwmark = nla_get_u32(a[IPVS_SVC_ATTR_FWMARK]);
	} else {
		if (!a[IPVS_SVC_ATTR_PROTOCOL] || !a[IPVS_SVC_ATTR_ADDR] || !a[IPVS_SVC_ATTR_PORT])
			return -EPROTO;
		s->protocol = nla_get_u16(a[IPVS_SVC_ATTR_PROTOCOL]);
		get_addr(a[IPVS_SVC_ATTR_ADDR], s->af, &s->addr);
		s->port = ntohs(nla_get_u16(a[IPVS_SVC_ATTR_PORT]));
	}
	get_str(a[IPVS_SVC_ATTR_SCHED_NAME], s->sched, sizeof(s->sched));
	get_str(a[IPVS_SVC_ATTR_PE_NAME], s->pe, sizeof(s->pe));
	memcpy(&f, nla_data(a[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
	s->flags = f.flags & (IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET | IPVS_SCHED_FLAGS);
	s->timeout = a[IPVS_SVC_ATTR_TIMEOUT] ? nla_get_u32(a[IPVS_SVC_ATTR_TIMEOUT]) : 0;
	s->netmask = a[IPVS_SVC_ATTR_NETMASK] ? nla_get_u32(a[IPVS_SVC_ATTR_NETMASK]) : 0;
	if (stats)
		get_stats(a[IPVS_SVC_ATTR_STATS64], a[IPVS_SVC_ATTR_STATS], &s->stats);
	return 0;
}

static int parse_dest(struct nlattr *nest, int svc_af, bool stats, struct ipvs_dest *d)
{
	struct nlattr *a[IPVS_DEST_ATTR_MAX + 1];
	int af = svc_af;

	memset(d, 0, sizeof(*d));
	if (!nest || nla_parse_nested(a, IPVS_DEST_ATTR_MAX, nest, dest_policy) < 0 ||
	    !a[IPVS_DEST_ATTR_ADDR] || !a[IPVS_DEST_ATTR_PORT] || !a[IPVS_DEST_ATTR_FWD_METHOD])
		return -EPROTO;
	if (a[IPVS_DEST_ATTR_ADDR_FAMILY])
		af = nla_get_u16(a[IPVS_DEST_ATTR_ADDR_FAMILY]);
	if (af != AF_INET && af != AF_INET6)
		return -EPROTO;
	get_addr(a[IPVS_DEST_ATTR_ADDR], af, &d->addr);
	d->port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_PORT]));
	d->fwd = nla_get_u32(a[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
#define U32(x) (a[x] ? nla_get_u32(a[x]) : 0)
	d->weight = U32(IPVS_DEST_ATTR_WEIGHT);
	d->uthresh = U32(IPVS_DEST_ATTR_U_THRESH);
	d->lthresh = U32(IPVS_DEST_ATTR_L_THRESH);
	d->active = U32(IPVS_DEST_ATTR_ACTIVE_CONNS);
	d->inactive = U32(IPVS_DEST_ATTR_INACT_CONNS);
	d->persist = U32(IPVS_DEST_ATTR_PERSIST_CONNS);
#undef U32
	if (a[IPVS_DEST_ATTR_TUN_TYPE])
		d->tun_type = nla_get_u8(a[IPVS_DEST_ATTR_TUN_TYPE]);
	if (a[IPVS_DEST_ATTR_TUN_PORT])
		d->tun_port = ntohs(nla_get_u16(a[IPVS_DEST_ATTR_TUN_PORT]));
	if (a[IPVS_DEST_ATTR_TUN_FLAGS])
		d->tun_flags = nla_get_u16(a[IPVS_DEST_ATTR_TUN_FLAGS]);
	if (stats)
		get_stats(a[IPVS_DEST_ATTR_STATS64], a[IPVS_DEST_ATTR_STATS], &d->stats);
	return 0;
}

/* The top-level attributes of an answer. */
static int top_attrs(struct nlmsghdr *h, struct nlattr **a)
{
	return genlmsg_parse(h, 0, a, IPVS_CMD_ATTR_MAX, NULL) < 0 ? -EPROTO : 0;
}

/* -------------------------------------------------------------- reading */

struct svc_ctx {
	struct ipvs_table *t;
	bool stats;
};

static int on_service(struct nlmsghdr *h, void *arg)
{
	struct svc_ctx *c = arg;
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	struct ipvs_service s;
	int r;

	if ((r = top_attrs(h, a)) < 0 || (r = parse_svc(a[IPVS_CMD_ATTR_SERVICE], c->stats, &s)) < 0)
		return r;
	return ipvs_table_add(c->t, &s) ? 0 : -ENOMEM;
}

struct dest_ctx {
	struct ipvs_entry *e;
	int af;
	bool stats;
};

static int on_dest(struct nlmsghdr *h, void *arg)
{
	struct dest_ctx *c = arg;
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	struct ipvs_dest d;
	int r;

	if ((r = top_attrs(h, a)) < 0 || (r = parse_dest(a[IPVS_CMD_ATTR_DEST], c->af, c->stats, &d)) < 0)
		return r;
	return ipvs_entry_add_dest(c->e, &d, 0) < 0 ? -ENOMEM : 0;
}

int ipvs_nl_get_dests(struct ipvs_nl *nl, const struct ipvs_service *s, struct ipvs_entry *e)
{
	struct nl_msg *m = new_msg(nl, IPVS_CMD_GET_DEST, NLM_F_DUMP);
	struct dest_ctx c = { e, s->af, nl->stats };

	if (m && put_svc(m, s, false) < 0) {
		nlmsg_free(m);
		m = NULL;
	}
	return one(nl, m, on_dest, &c);
}

int ipvs_nl_get_table(struct ipvs_nl *nl, struct ipvs_table *t)
{
	int r;

	struct svc_ctx c = { t, nl->stats };

	memset(t, 0, sizeof(*t));
	r = one(nl, new_msg(nl, IPVS_CMD_GET_SERVICE, NLM_F_DUMP), on_service, &c);
	for (size_t i = 0; r == 0 && i < t->n; i++)
		r = ipvs_nl_get_dests(nl, &t->v[i].svc, &t->v[i]);
	if (r < 0)
		ipvs_table_free(t);
	return r;
}

static int on_one_service(struct nlmsghdr *h, void *arg)
{
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	int r;

	if ((r = top_attrs(h, a)) < 0)
		return r;
	return parse_svc(a[IPVS_CMD_ATTR_SERVICE], true, arg);
}

int ipvs_nl_get_service(struct ipvs_nl *nl, struct ipvs_service *s)
{
	struct nl_msg *m = new_msg(nl, IPVS_CMD_GET_SERVICE, 0);
	struct ipvs_service got;
	int r;

	if (m && put_svc(m, s, false) < 0) {
		nlmsg_free(m);
		m = NULL;
	}
	memset(&got, 0, sizeof(got));
	/* A non-dump request answers with the data, then no ACK unless
	 * asked: ask, so that the wait has an end either way. */
	if (m)
		nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK;
	r = one(nl, m, on_one_service, &got);
	if (r < 0)
		return r;
	if (!got.af)
		return -EPROTO;
	*s = got;
	return 0;
}

struct info_ctx {
	uint32_t version, size;
	uint32_t t[3];
};

static int on_info(struct nlmsghdr *h, void *arg)
{
	struct info_ctx *c = arg;
	struct nlattr *a[IPVS_INFO_ATTR_MAX + 1];

	if (genlmsg_parse(h, 0, a, IPVS_INFO_ATTR_MAX, NULL) < 0)
		return -EPROTO;
	if (a[IPVS_INFO_ATTR_VERSION] && nla_len(a[IPVS_INFO_ATTR_VERSION]) >= 4)
		c->version = nla_get_u32(a[IPVS_INFO_ATTR_VERSION]);
	if (a[IPVS_INFO_ATTR_CONN_TAB_SIZE] && nla_len(a[IPVS_INFO_ATTR_CONN_TAB_SIZE]) >= 4)
		c->size = nla_get_u32(a[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return 0;
}

int ipvs_nl_info(struct ipvs_nl *nl, uint32_t *version, uint32_t *size)
{
	struct info_ctx c = { 0 };
	int r = one(nl, new_msg(nl, IPVS_CMD_GET_INFO, NLM_F_ACK), on_info, &c);

	*version = c.version;
	*size = c.size;
	return r;
}

static int on_config(struct nlmsghdr *h, void *arg)
{
	struct info_ctx *c = arg;
	struct nlattr *a[IPVS_CMD_ATTR_MAX + 1];
	static const int k[3] = { IPVS_CMD_ATTR_TIMEOUT_TCP, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN,
				  IPVS_CMD_ATTR_TIMEOUT_UDP };

	if (top_attrs(h, a) < 0)
		return -EPROTO;
	for (int i = 0; i < 3; i++)
		if (a[k[i]] && nla_len(a[k[i]]) >= 4)
			c->t[i] = nla_get_u32(a[k[i]]);
	return 0;
}

int ipvs_nl_get_timeouts(struct ipvs_nl *nl, uint32_t t[3])
{
	struct info_ctx c = { 0 };
	int r = one(nl, new_msg(nl, IPVS_CMD_GET_CONFIG, NLM_F_ACK), on_config, &c);

	memcpy(t, c.t, sizeof(c.t));
	return r;
}

int ipvs_nl_set_timeouts(struct ipvs_nl *nl, const uint32_t t[3])
{
	struct nl_msg *m = new_msg(nl, IPVS_CMD_SET_CONFIG, NLM_F_ACK);
	static const int k[3] = { IPVS_CMD_ATTR_TIMEOUT_TCP, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN,
				  IPVS_CMD_ATTR_TIMEOUT_UDP };

	for (int i = 0; m && i < 3; i++)
		if (t[i] && nla_put_u32(m, k[i], t[i]) < 0) {
			nlmsg_free(m);
			m = NULL;
		}
	return one(nl, m, NULL, NULL);
}

int ipvs_nl_zero(struct ipvs_nl *nl, const struct ipvs_service *s)
{
	struct nl_msg *m = new_msg(nl, IPVS_CMD_ZERO, NLM_F_ACK);

	if (m && s && put_svc(m, s, false) < 0) {
		nlmsg_free(m);
		m = NULL;
	}
	return one(nl, m, NULL, NULL);
}

/* -------------------------------------------------------------- daemons */

static struct nl_msg *daemon_msg(struct ipvs_nl *nl, uint8_t cmd, const struct ipvs_daemon *d)
{
	struct nl_msg *m = new_msg(nl, cmd, NLM_F_ACK);
	struct nlattr *n;

	if (!m)
		return NULL;
	n = nla_nest_start(m, IPVS_CMD_ATTR_DAEMON);
	if (!n || nla_put_u32(m, IPVS_DAEMON_ATTR_STATE, d->state) < 0 ||
	    (cmd == IPVS_CMD_NEW_DAEMON &&
	     (nla_put_string(m, IPVS_DAEMON_ATTR_MCAST_IFN, d->ifname) < 0 ||
	      nla_put_u32(m, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid) < 0))) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, n);
	return m;
}

int ipvs_nl_daemon_start(struct ipvs_nl *nl, const struct ipvs_daemon *d)
{
	return one(nl, daemon_msg(nl, IPVS_CMD_NEW_DAEMON, d), NULL, NULL);
}

int ipvs_nl_daemon_stop(struct ipvs_nl *nl, uint32_t state)
{
	struct ipvs_daemon d = { .state = state };

	return one(nl, daemon_msg(nl, IPVS_CMD_DEL_DAEMON, &d), NULL, NULL);
}

struct daemon_ctx {
	struct ipvs_daemon *d;
	size_t n;
};

static int on_daemon(struct nlmsghdr *h, void *arg)
{
	struct daemon_ctx *c = arg;
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1], *a[IPVS_DAEMON_ATTR_MAX + 1];
	struct ipvs_daemon *d;

	if (top_attrs(h, top) < 0 || !top[IPVS_CMD_ATTR_DAEMON] ||
	    nla_parse_nested(a, IPVS_DAEMON_ATTR_MAX, top[IPVS_CMD_ATTR_DAEMON], NULL) < 0)
		return -EPROTO;
	if (c->n == 2 || !a[IPVS_DAEMON_ATTR_STATE] || nla_len(a[IPVS_DAEMON_ATTR_STATE]) < 4)
		return 0;
	d = &c->d[c->n++];
	memset(d, 0, sizeof(*d));
	d->state = nla_get_u32(a[IPVS_DAEMON_ATTR_STATE]);
	get_str(a[IPVS_DAEMON_ATTR_MCAST_IFN], d->ifname, sizeof(d->ifname));
	if (a[IPVS_DAEMON_ATTR_SYNC_ID] && nla_len(a[IPVS_DAEMON_ATTR_SYNC_ID]) >= 4)
		d->syncid = nla_get_u32(a[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (a[IPVS_DAEMON_ATTR_SYNC_MAXLEN] && nla_len(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]) >= 2)
		d->maxlen = nla_get_u16(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (a[IPVS_DAEMON_ATTR_MCAST_GROUP] && nla_len(a[IPVS_DAEMON_ATTR_MCAST_GROUP]) >= 4) {
		d->group.family = AF_INET;
		memcpy(d->group.bytes, nla_data(a[IPVS_DAEMON_ATTR_MCAST_GROUP]), 4);
	} else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6] && nla_len(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]) >= 16) {
		d->group.family = AF_INET6;
		memcpy(d->group.bytes, nla_data(a[IPVS_DAEMON_ATTR_MCAST_GROUP6]), 16);
	}
	if (a[IPVS_DAEMON_ATTR_MCAST_PORT] && nla_len(a[IPVS_DAEMON_ATTR_MCAST_PORT]) >= 2)
		d->port = nla_get_u16(a[IPVS_DAEMON_ATTR_MCAST_PORT]);	/* host order */
	if (a[IPVS_DAEMON_ATTR_MCAST_TTL] && nla_len(a[IPVS_DAEMON_ATTR_MCAST_TTL]) >= 1)
		d->ttl = nla_get_u8(a[IPVS_DAEMON_ATTR_MCAST_TTL]);
	return 0;
}

int ipvs_nl_daemon_list(struct ipvs_nl *nl, struct ipvs_daemon d[2], size_t *n)
{
	struct daemon_ctx c = { d, 0 };
	int r = one(nl, new_msg(nl, IPVS_CMD_GET_DAEMON, NLM_F_DUMP), on_daemon, &c);

	*n = c.n;
	return r;
}
