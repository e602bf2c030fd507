/*
 * Printing tables: `list` in ipvsadm -L's columns (so that people who
 * read one read the other), `save` in ipvsadm -S's rule lines, and
 * --json.
 */
#include "print.h"

#include "json.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

static const char *proto_word(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_SCTP: return "sctp";
	}
	return "?";
}

/* An address (and port) as ipvsadm shows it: names unless numeric. */
static const char *addrport(const struct hk_addr *a, uint16_t port, uint16_t proto,
			    unsigned fmt, char *buf, size_t len)
{
	char host[NI_MAXHOST], serv[32];

	hk_addr_str(a, host);
	snprintf(serv, sizeof(serv), "%u", port);
	if (!(fmt & IPVS_FMT_NUMERIC)) {
		struct sockaddr_storage ss;
		socklen_t sl = hk_addr_to_sockaddr(a, 0, &ss);
		char name[NI_MAXHOST];

		if (getnameinfo((struct sockaddr *)&ss, sl, name, sizeof(name), NULL, 0,
				NI_NAMEREQD) == 0)
			snprintf(host, sizeof(host), "%s", name);
		if (proto) {
			struct servent *se = getservbyport(htons(port), proto_word(proto));

			if (se)
				snprintf(serv, sizeof(serv), "%s", se->s_name);
		}
	}
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", host, serv);
	else
		snprintf(buf, len, "%s:%s", host, serv);
	return buf;
}

static const char *fwd_name(uint32_t fwd)
{
	switch (fwd & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ: return "Masq";
	case IP_VS_CONN_F_LOCALNODE: return "Local";
	case IP_VS_CONN_F_TUNNEL: return "Tunnel";
	case IP_VS_CONN_F_DROUTE: return "Route";
	}
	return "?";
}

/* ipvsadm's short numbers: 9 columns, K/M/G/T past 100 million. */
static void largenum(FILE *f, uint64_t v, unsigned fmt)
{
	if (fmt & IPVS_FMT_EXACT) {
		char tmp[32];
		int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);

		fprintf(f, "%*s", len <= 8 ? 9 : len + 1, tmp);
	} else if (v < 100000000ull) {
		fprintf(f, "%9llu", (unsigned long long)v);
	} else if (v < 1000000000ull) {
		fprintf(f, "%8lluK", (unsigned long long)(v / 1000));
	} else if (v < 100000000000ull) {
		fprintf(f, "%8lluM", (unsigned long long)(v / 1000000));
	} else if (v < 100000000000000ull) {
		fprintf(f, "%8lluG", (unsigned long long)(v / 1000000000ull));
	} else {
		fprintf(f, "%8lluT", (unsigned long long)(v / 1000000000000ull));
	}
}

/* The service's name column: "TCP  192.0.2.1:80", "FWM  6 IPv6". */
static void svc_name(const struct ipvs_service *s, unsigned fmt, char *buf, size_t len)
{
	char ap[NI_MAXHOST + 48];

	if (s->fwmark) {
		snprintf(buf, len, "FWM  %u%s", s->fwmark, s->af == AF_INET6 ? " IPv6" : "");
		return;
	}
	addrport(&s->addr, s->port, s->protocol, fmt, ap, sizeof(ap));
	snprintf(buf, len, "%-4s %s", s->protocol == IPPROTO_TCP ? "TCP" :
		 s->protocol == IPPROTO_UDP ? "UDP" : "SCTP", ap);
	/* ipvsadm cuts IPv4 names to its column. */
	if (s->af == AF_INET && len > 33)
		buf[33] = '\0';
}

static void mask_str(const struct ipvs_service *s, char *buf, size_t len)
{
	buf[0] = '\0';
	if (s->af == AF_INET && s->netmask != 0xffffffffu) {
		struct in_addr m = { .s_addr = s->netmask };

		inet_ntop(AF_INET, &m, buf, (socklen_t)len);
	} else if (s->af == AF_INET6 && s->netmask != 128) {
		snprintf(buf, len, "%u", s->netmask);
	}
}

static void print_title(FILE *f, unsigned fmt)
{
	if (fmt & IPVS_FMT_STATS)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
	else if (fmt & IPVS_FMT_RATE)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
	else if (fmt & IPVS_FMT_THRESH)
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
	else
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
}

static void print_entry(FILE *f, const struct ipvs_entry *e, unsigned fmt)
{
	const struct ipvs_service *s = &e->svc;
	char name[NI_MAXHOST + 64], dn[NI_MAXHOST + 48], tmp[64];

	svc_name(s, fmt, name, sizeof(name));
	if (fmt & (IPVS_FMT_STATS | IPVS_FMT_RATE)) {
		const struct ipvs_stats *st = &s->stats;

		fprintf(f, "%-33s", name);
		if (fmt & IPVS_FMT_STATS) {
			largenum(f, st->conns, fmt);
			largenum(f, st->inpkts, fmt);
			largenum(f, st->outpkts, fmt);
			largenum(f, st->inbytes, fmt);
			largenum(f, st->outbytes, fmt);
		} else {
			largenum(f, st->cps, fmt);
			largenum(f, st->inpps, fmt);
			largenum(f, st->outpps, fmt);
			largenum(f, st->inbps, fmt);
			largenum(f, st->outbps, fmt);
		}
	} else {
		fprintf(f, "%s %s", name, s->sched);
		if (s->flags & IPVS_SCHED_FLAGS)
			fprintf(f, " (%s)", ipvs_sched_flags_str(s->sched, s->flags, tmp, sizeof(tmp)));
		if (s->flags & IP_VS_SVC_F_PERSISTENT) {
			fprintf(f, " persistent %u", s->timeout);
			mask_str(s, tmp, sizeof(tmp));
			if (tmp[0])
				fprintf(f, " mask %s", tmp);
		}
		if (s->pe[0])
			fprintf(f, " pe %s", s->pe);
		if (s->flags & IP_VS_SVC_F_ONEPACKET)
			fprintf(f, " ops");
	}
	fputc('\n', f);

	for (size_t i = 0; i < e->ndests; i++) {
		const struct ipvs_dest *d = &e->dests[i];

		addrport(&d->addr, d->port, s->protocol, fmt, dn, sizeof(dn));
		if (d->addr.family == AF_INET)
			dn[28] = '\0';
		if (fmt & IPVS_FMT_STATS) {
			fprintf(f, "  -> %-28s", dn);
			largenum(f, d->stats.conns, fmt);
			largenum(f, d->stats.inpkts, fmt);
			largenum(f, d->stats.outpkts, fmt);
			largenum(f, d->stats.inbytes, fmt);
			largenum(f, d->stats.outbytes, fmt);
			fputc('\n', f);
		} else if (fmt & IPVS_FMT_RATE) {
			fprintf(f, "  -> %-28s %8u %8u %8u", dn, (unsigned)d->stats.cps,
				(unsigned)d->stats.inpps, (unsigned)d->stats.outpps);
			largenum(f, d->stats.inbps, fmt);
			largenum(f, d->stats.outbps, fmt);
			fputc('\n', f);
		} else if (fmt & IPVS_FMT_THRESH) {
			fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", dn, d->uthresh, d->lthresh,
				d->active, d->inactive);
		} else {
			fprintf(f, "  -> %-28s %-7s %-6d %-10u %-10u\n", dn, fwd_name(d->fwd),
				(int)d->weight, d->active, d->inactive);
		}
	}
}

void ipvs_print_list(FILE *f, const struct ipvs_table *t, uint32_t version, uint32_t size,
		     bool header, unsigned fmt)
{
	if (header)
		fprintf(f, "IP Virtual Server version %u.%u.%u (size=%u)\n", (version >> 16) & 0xff,
			(version >> 8) & 0xff, version & 0xff, size);
	print_title(f, fmt);
	for (size_t i = 0; i < t->n; i++)
		print_entry(f, &t->v[i], fmt);
}

/* ------------------------------------------------------------------ save */

static void rule_svc(const struct ipvs_service *s, unsigned fmt, char *buf, size_t len)
{
	char ap[NI_MAXHOST + 48];

	if (s->fwmark) {
		snprintf(buf, len, "-f %u%s", s->fwmark, s->af == AF_INET6 ? " -6" : "");
		return;
	}
	addrport(&s->addr, s->port, s->protocol, fmt, ap, sizeof(ap));
	snprintf(buf, len, "%s %s", s->protocol == IPPROTO_TCP ? "-t" :
		 s->protocol == IPPROTO_UDP ? "-u" : "--sctp-service", ap);
}

void ipvs_print_svc_rule(FILE *f, const char *cmd, const struct ipvs_service *s, unsigned fmt)
{
	char name[NI_MAXHOST + 64], tmp[64];

	rule_svc(s, fmt, name, sizeof(name));
	fprintf(f, "%s %s", cmd, name);
	if (strcmp(cmd, "-D") == 0) {
		fputc('\n', f);
		return;
	}
	fprintf(f, " -s %s", s->sched);
	if (s->flags & IP_VS_SVC_F_PERSISTENT) {
		fprintf(f, " -p %u", s->timeout);
		mask_str(s, tmp, sizeof(tmp));
		if (tmp[0])
			fprintf(f, " -M %s", tmp);
	}
	if (s->pe[0])
		fprintf(f, " --pe %s", s->pe);
	if (s->flags & IP_VS_SVC_F_ONEPACKET)
		fprintf(f, " -o");
	if (s->flags & IPVS_SCHED_FLAGS)
		fprintf(f, " -b %s", ipvs_sched_flags_str(s->sched, s->flags, tmp, sizeof(tmp)));
	fputc('\n', f);
}

void ipvs_print_dest_rule(FILE *f, const char *cmd, const struct ipvs_service *s,
			  const struct ipvs_dest *d, unsigned fmt)
{
	static const char *const tun[] = { "ipip", "gue", "gre" };
	char name[NI_MAXHOST + 64], dn[NI_MAXHOST + 48];
	const char *sw = "-g";

	rule_svc(s, fmt, name, sizeof(name));
	addrport(&d->addr, d->port, s->protocol, fmt, dn, sizeof(dn));
	fprintf(f, "%s %s -r %s", cmd, name, dn);
	if (strcmp(cmd, "-d") == 0) {
		fputc('\n', f);
		return;
	}
	switch (d->fwd & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ: sw = "-m"; break;
	case IP_VS_CONN_F_TUNNEL: sw = "-i"; break;
	}
	fprintf(f, " %s -w %d", sw, (int)d->weight);
	if ((d->fwd & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL && d->tun_type < 3) {
		fprintf(f, " --tun-type %s", tun[d->tun_type]);
		if (d->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE)
			fprintf(f, " --tun-port %u", d->tun_port);
		if (d->tun_type != IP_VS_CONN_F_TUNNEL_TYPE_IPIP)
			fprintf(f, " %s", d->tun_flags & IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM ? "--tun-remcsum" :
				d->tun_flags & IP_VS_TUNNEL_ENCAP_FLAG_CSUM ? "--tun-csum" : "--tun-nocsum");
	}
	/* ipvsadm -S drops the thresholds; saving them keeps a round trip
	 * whole. */
	if (d->uthresh)
		fprintf(f, " -x %u", d->uthresh);
	if (d->lthresh)
		fprintf(f, " -y %u", d->lthresh);
	fputc('\n', f);
}

void ipvs_print_save(FILE *f, const struct ipvs_table *t, unsigned fmt)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ipvs_entry *e = &t->v[i];

		ipvs_print_svc_rule(f, "-A", &e->svc, fmt);
		for (size_t j = 0; j < e->ndests; j++)
			ipvs_print_dest_rule(f, "-a", &e->svc, &e->dests[j], fmt);
	}
}

void ipvs_print_change(FILE *f, const struct ipvs_change *c)
{
	static const char *const cmd[] = {
		[IPVS_OP_ADD_SVC] = "-A", [IPVS_OP_SET_SVC] = "-E", [IPVS_OP_DEL_SVC] = "-D",
		[IPVS_OP_ADD_DEST] = "-a", [IPVS_OP_SET_DEST] = "-e", [IPVS_OP_DEL_DEST] = "-d",
	};

	switch (c->op) {
	case IPVS_OP_ADD_SVC: case IPVS_OP_SET_SVC: case IPVS_OP_DEL_SVC:
		ipvs_print_svc_rule(f, cmd[c->op], &c->svc, IPVS_FMT_NUMERIC);
		break;
	case IPVS_OP_ADD_DEST: case IPVS_OP_SET_DEST: case IPVS_OP_DEL_DEST:
		ipvs_print_dest_rule(f, cmd[c->op], &c->svc, &c->dest, IPVS_FMT_NUMERIC);
		break;
	case IPVS_OP_FLUSH:
		fprintf(f, "-C\n");
		break;
	case IPVS_OP_NONE:
		break;
	}
}

/* ------------------------------------------------------------------ json */

static void json_stats(FILE *f, const struct ipvs_stats *s)
{
	fprintf(f, "\"stats\":{\"conns\":%llu,\"inpkts\":%llu,\"outpkts\":%llu,\"inbytes\":%llu,"
		"\"outbytes\":%llu},\"rate\":{\"cps\":%llu,\"inpps\":%llu,\"outpps\":%llu,"
		"\"inbps\":%llu,\"outbps\":%llu}",
		(unsigned long long)s->conns, (unsigned long long)s->inpkts,
		(unsigned long long)s->outpkts, (unsigned long long)s->inbytes,
		(unsigned long long)s->outbytes, (unsigned long long)s->cps,
		(unsigned long long)s->inpps, (unsigned long long)s->outpps,
		(unsigned long long)s->inbps, (unsigned long long)s->outbps);
}

static const char *mode_word(uint32_t fwd)
{
	switch (fwd & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ: return "nat";
	case IP_VS_CONN_F_LOCALNODE: return "local";
	case IP_VS_CONN_F_TUNNEL: return "tun";
	case IP_VS_CONN_F_DROUTE: return "dr";
	}
	return "?";
}

void ipvs_print_json(FILE *f, const struct ipvs_table *t, uint32_t version, uint32_t size)
{
	char a[HK_ADDRSTRLEN], tmp[64];

	fprintf(f, "{\"version\":\"%u.%u.%u\",\"size\":%u,\"services\":[", (version >> 16) & 0xff,
		(version >> 8) & 0xff, version & 0xff, size);
	for (size_t i = 0; i < t->n; i++) {
		const struct ipvs_entry *e = &t->v[i];
		const struct ipvs_service *s = &e->svc;

		fprintf(f, "%s{\"family\":\"%s\",", i ? "," : "", s->af == AF_INET6 ? "inet6" : "inet");
		if (s->fwmark)
			fprintf(f, "\"protocol\":\"fwmark\",\"fwmark\":%u,", s->fwmark);
		else
			fprintf(f, "\"protocol\":\"%s\",\"address\":\"%s\",\"port\":%u,",
				proto_word(s->protocol), hk_addr_str(&s->addr, a), s->port);
		fprintf(f, "\"scheduler\":");
		hk_json_str(f, s->sched);
		fprintf(f, ",\"flags\":");
		hk_json_str(f, ipvs_sched_flags_str(s->sched, s->flags, tmp, sizeof(tmp)));
		if (s->flags & IP_VS_SVC_F_PERSISTENT) {
			fprintf(f, ",\"persistent\":%u,\"netmask\":", s->timeout);
			if (s->af == AF_INET) {
				struct in_addr m = { .s_addr = s->netmask };

				inet_ntop(AF_INET, &m, tmp, sizeof(tmp));
				fprintf(f, "\"%s\"", tmp);
			} else {
				fprintf(f, "%u", s->netmask);
			}
		} else {
			fprintf(f, ",\"persistent\":null,\"netmask\":null");
		}
		fprintf(f, ",\"pe\":");
		if (s->pe[0])
			hk_json_str(f, s->pe);
		else
			fprintf(f, "null");
		fprintf(f, ",\"ops\":%s,", s->flags & IP_VS_SVC_F_ONEPACKET ? "true" : "false");
		json_stats(f, &s->stats);
		fprintf(f, ",\"destinations\":[");
		for (size_t j = 0; j < e->ndests; j++) {
			const struct ipvs_dest *d = &e->dests[j];

			fprintf(f, "%s{\"address\":\"%s\",\"port\":%u,\"mode\":\"%s\",\"weight\":%u,"
				"\"uthreshold\":%u,\"lthreshold\":%u,\"active\":%u,\"inactive\":%u,"
				"\"persistent\":%u,", j ? "," : "", hk_addr_str(&d->addr, a), d->port,
				mode_word(d->fwd), d->weight, d->uthresh, d->lthresh, d->active,
				d->inactive, d->persist);
			json_stats(f, &d->stats);
			fputc('}', f);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}\n");
}
