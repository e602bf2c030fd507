/* ipvsctl's parsers: ipvsadm rule lines and command-line words. */
#include "../../ipvsctl/ipvs.h"
#include "t.h"

#include <arpa/inet.h>
#include <errno.h>

static int line(const char *s, struct ipvs_rule *r, struct hk_err *e)
{
	return ipvs_parse_line(s, 0, r, e);
}

/* The line must be refused, with a message containing want. */
static void refused(const char *s, const char *want)
{
	struct ipvs_rule r;
	struct hk_err e = { "" };

	if (line(s, &r, &e) != -1) {
		t_fail(__FILE__, __LINE__, "accepted: %s", s);
		return;
	}
	if (!strstr(e.msg, want))
		t_fail(__FILE__, __LINE__, "'%s': message '%s' lacks '%s'", s, e.msg, want);
}

TEST(ipvs_line_service_gets_ipvsadm_defaults)
{
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(line("-A -t 192.0.2.1:80", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_ADD_SVC);
	CHECK_EQ_INT(r.svc.af, AF_INET);
	CHECK_EQ_INT(r.svc.protocol, IPPROTO_TCP);
	CHECK_EQ_INT(r.svc.port, 80);
	CHECK_EQ_STR(r.svc.sched, "wlc");
	CHECK_EQ_INT(r.svc.netmask, 0xffffffffu);
	CHECK_EQ_INT(r.svc.flags, 0);
}

TEST(ipvs_line_leading_ipvsadm_word_and_comments)
{
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(line("ipvsadm -A -u 192.0.2.1:53 -s rr", &r, &e), 1);
	CHECK_EQ_INT(r.svc.protocol, IPPROTO_UDP);
	CHECK_EQ_STR(r.svc.sched, "rr");
	CHECK_EQ_INT(line("", &r, &e), 0);
	CHECK_EQ_INT(line("   \t\n", &r, &e), 0);
	CHECK_EQ_INT(line("# -A -t 192.0.2.1:80", &r, &e), 0);
	CHECK_EQ_INT(line("-A -t 192.0.2.1:80 -s rr # web", &r, &e), 1);
}

TEST(ipvs_line_persistence_default_is_360_as_ipvsadm)
{
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(line("-A -f 6 -s rr -p", &r, &e), 1);
	CHECK_EQ_INT(r.svc.fwmark, 6);
	CHECK(r.svc.flags & IP_VS_SVC_F_PERSISTENT);
	CHECK_EQ_INT(r.svc.timeout, 360);
	CHECK_EQ_INT(line("-A -t 192.0.2.1:0 -p 500 -M 255.255.255.0", &r, &e), 1);
	CHECK_EQ_INT(r.svc.timeout, 500);
	CHECK_EQ_INT(r.svc.netmask, inet_addr("255.255.255.0"));
	/* -p followed by another option takes no value. */
	CHECK_EQ_INT(line("-A -t 192.0.2.1:80 -p -s rr", &r, &e), 1);
	CHECK_EQ_INT(r.svc.timeout, 360);
}

TEST(ipvs_line_ipv6_service_netmask_is_a_prefix_length)
{
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(line("-A -t [2001:db8::100]:443 -s sed -p 30 -M 64 --pe sip", &r, &e), 1);
	CHECK_EQ_INT(r.svc.af, AF_INET6);
	CHECK_EQ_INT(r.svc.port, 443);
	CHECK_EQ_INT(r.svc.netmask, 64);
	CHECK_EQ_STR(r.svc.pe, "sip");
	CHECK_EQ_INT(line("-A -f 7 -6 -s lc", &r, &e), 1);
	CHECK_EQ_INT(r.svc.af, AF_INET6);
	CHECK_EQ_INT(r.svc.netmask, 128);
}

TEST(ipvs_line_scheduler_flags_and_ops)
{
	struct ipvs_rule r;
	struct hk_err e;
	char buf[64];

	CHECK_EQ_INT(line("-A -u 192.0.2.1:53 -s sh -b sh-port,sh-fallback -o", &r, &e), 1);
	CHECK_EQ_INT(r.svc.flags, IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_ONEPACKET);
	CHECK_EQ_STR(ipvs_sched_flags_str("sh", r.svc.flags, buf, sizeof(buf)), "sh-fallback,sh-port");
	CHECK_EQ_STR(ipvs_sched_flags_str("mh", IP_VS_SVC_F_SCHED2, buf, sizeof(buf)), "mh-port");
	CHECK_EQ_STR(ipvs_sched_flags_str("rr", IPVS_SCHED_FLAGS, buf, sizeof(buf)),
		     "flag-1,flag-2,flag-3");
	CHECK_EQ_INT(line("-A -f 5 -s rr -o", &r, &e), 1);
}

TEST(ipvs_line_destinations_follow_ipvsadm)
{
	struct ipvs_rule r;
	struct hk_err e;

	/* DR is the default; the weight 1; the port the service's. */
	CHECK_EQ_INT(line("-a -t 192.0.2.1:80 -r 198.51.100.1", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_ADD_DEST);
	CHECK_EQ_INT(r.dest.fwd, IP_VS_CONN_F_DROUTE);
	CHECK_EQ_INT(r.dest.weight, 1);
	CHECK_EQ_INT(r.dest.port, 80);
	/* DR and tunnels cannot change the port: the service's is forced. */
	CHECK_EQ_INT(line("-a -t 192.0.2.1:80 -r 198.51.100.1:90 -i", &r, &e), 1);
	CHECK_EQ_INT(r.dest.port, 80);
	CHECK_EQ_INT(r.dest.fwd, IP_VS_CONN_F_TUNNEL);
	/* NAT can. */
	CHECK_EQ_INT(line("-a -t 192.0.2.1:80 -r 198.51.100.1:8080 -m -w 0 -x 100 -y 10", &r, &e), 1);
	CHECK_EQ_INT(r.dest.port, 8080);
	CHECK_EQ_INT(r.dest.weight, 0);
	CHECK_EQ_INT(r.dest.uthresh, 100);
	CHECK_EQ_INT(r.dest.lthresh, 10);
	/* fwmark destinations have port 0, IPv6 ones a bare or bracketed address. */
	CHECK_EQ_INT(line("-a -f 6 -r 198.51.100.1:0 -g -w 2", &r, &e), 1);
	CHECK_EQ_INT(r.dest.port, 0);
	CHECK_EQ_INT(line("-a -f 7 -6 -r 2001:db8::1", &r, &e), 1);
	CHECK_EQ_INT(r.dest.addr.family, AF_INET6);
	CHECK_EQ_INT(line("-a -f 7 -6 -r [2001:db8::2]:0 -m", &r, &e), 1);
	/* A tunnel may cross families. */
	CHECK_EQ_INT(line("-a -t [2001:db8::100]:80 -r 198.51.100.1 -i", &r, &e), 1);
	CHECK_EQ_INT(line("-a -t 192.0.2.1:80 -r 198.51.100.7:80 -i --tun-type gue --tun-port 5555 --tun-csum",
			  &r, &e), 1);
	CHECK_EQ_INT(r.dest.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	CHECK_EQ_INT(r.dest.tun_port, 5555);
	CHECK_EQ_INT(r.dest.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
}

TEST(ipvs_line_edits_deletes_and_clear)
{
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(line("-E -t 192.0.2.1:80 -s rr", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_SET_SVC);
	CHECK_EQ_INT(line("-D -t 192.0.2.1:80", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_DEL_SVC);
	/* ipvsadm -e resets what it is not given: weight 1, DR. */
	CHECK_EQ_INT(line("-e -t 192.0.2.1:80 -r 198.51.100.1:80 -x 20", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_SET_DEST);
	CHECK_EQ_INT(r.dest.weight, 1);
	CHECK_EQ_INT(line("-d -t 192.0.2.1:80 -r 198.51.100.1", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_DEL_DEST);
	CHECK_EQ_INT(r.dest.port, 80);
	CHECK_EQ_INT(line("-C", &r, &e), 1);
	CHECK_EQ_INT(r.op, IPVS_OP_FLUSH);
	CHECK_EQ_INT(line("--add-service --tcp-service 192.0.2.1:80 --scheduler wrr", &r, &e), 1);
	CHECK_EQ_INT(line("--add-server --sctp-service 192.0.2.2:36412 --real-server 198.51.100.9 --weight 3",
			  &r, &e), 1);
	CHECK_EQ_INT(r.svc.protocol, IPPROTO_SCTP);
	CHECK_EQ_INT(r.dest.weight, 3);
}

TEST(ipvs_line_refuses_every_bad_input_with_the_bad_word)
{
	refused("-A", "needs a service");
	refused("ipvsadm", "no command");
	refused("-t 192.0.2.1:80", "no command");
	refused("-A -D -t 192.0.2.1:80", "more than one command ('-A' and '-D')");
	refused("-A -t 192.0.2.1:80 -t 192.0.2.2:80", "given twice");
	refused("-A -t 192.0.2.1:80 -u 192.0.2.2:80", "more than one service");
	refused("-A -t 192.0.2.1:80 -s fastest", "unknown scheduler 'fastest'");
	refused("-A -t 192.0.2.1:80 -s", "'-s' needs a value");
	refused("-A -t 192.0.2.1:80 -p 0", "'0' is out of range 1-2678400");
	refused("-A -t 192.0.2.1:80 -p 2678401", "2678401");
	refused("-A -t 192.0.2.1:80 -p 1x", "not a whole number");
	refused("-A -t 192.0.2.1:80 -M 255.255.255.256", "netmask '255.255.255.256'");
	refused("-A -t [2001:db8::1]:80 -p -M 129", "'129' is out of range 1-128");
	refused("-A -t 192.0.2.1:80 --pe nope", "unknown persistence engine 'nope'");
	refused("-A -t 192.0.2.1:80 --pe sip", "needs persistence");
	refused("-A -t 192.0.2.1:80 -b sh-port", "needs scheduler sh, not wlc");
	refused("-A -t 192.0.2.1:80 -s mh -b sh-port", "needs scheduler sh, not mh");
	refused("-A -t 192.0.2.1:80 -s sh -b sh-nothing", "unknown scheduler flag 'sh-nothing'");
	refused("-A -t 192.0.2.1:80 -o", "only for UDP");
	refused("-A -t 192.0.2.1:0 -s rr", "port 0 is only allowed for a persistent service");
	refused("-A -t 192.0.2.1", "port 0");
	refused("-A -t 192.0.2.1:65536", "'65536' is out of range 0-65535");
	refused("-A -t 192.0.2.1:http", "not a whole number");
	refused("-A -t 300.0.2.1:80", "'300.0.2.1' is not an IPv4 address");
	refused("-A -t www.example.org:80", "is not an IPv4 address");
	refused("-A -t 224.0.0.1:80", "multicast");
	refused("-A -t [2001:db8::1:80", "closing ']'");
	refused("-A -t [2001:db8::1]80", "must be followed by ':PORT'");
	refused("-A -t [192.0.2.1]:80", "not an IPv6 address");
	refused("-A -t 2001:db8::zz", "not an IPv6 address");
	refused("-A -f 0", "'0' is out of range 1-4294967295");
	refused("-A -f 4294967296", "out of range");
	refused("-A -t 192.0.2.1:80 -6", "-6 with an IPv4 service address");
	refused("-A -t 192.0.2.1:80 -w 3", "'-w' does not go with '-A'");
	refused("-a -t 192.0.2.1:80 -s rr -r 198.51.100.1", "'-s' does not go with '-a'");
	refused("-d -t 192.0.2.1:80 -r 198.51.100.1 -w 2", "'-w' does not go with '-d'");
	refused("-C -t 192.0.2.1:80", "does not go with '-C'");
	refused("-a -t 192.0.2.1:80", "needs a destination (-r)");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -w 65536", "'65536' is out of range 0-65535");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -w -1", "weight: '-1' is not a whole number");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -x 2147483648", "out of range");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -y 5", "lower threshold 5 is above the upper threshold 0");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -g -m", "more than one forwarding method");
	refused("-a -t 192.0.2.1:80 -r 0.0.0.0", "not a unicast address");
	refused("-a -t 192.0.2.1:80 -r 224.0.0.1", "not a unicast address");
	refused("-a -t 192.0.2.1:80 -r 2001:db8::1", "address family (only tunnels may be)");
	refused("-a -f 7 -r 2001:db8::1 -m", "address family");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 --tun-type gue", "need the tunnel mode");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -i --tun-type gue", "needs a tunnel port");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -i --tun-port 5", "only for GUE");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -i --tun-type vxlan", "unknown tunnel type 'vxlan'");
	refused("-a -t 192.0.2.1:80 -r 198.51.100.1 -i --tun-type gre --tun-csum --tun-nocsum",
		"more than one tunnel checksum");
	refused("-A -t 192.0.2.1:80 --frobnicate", "unknown option '--frobnicate'");
	refused("-A -t 192.0.2.1:80 extra", "unknown option 'extra'");
}

TEST(ipvs_line_refuses_overlong_lines_and_too_many_words)
{
	char big[1200];
	char many[400] = "-A -t 192.0.2.1:80";

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(big, "longer than");
	for (int i = 0; i < 60; i++)
		strcat(many, " -o");
	refused(many, "more than 48 words");
}

TEST(ipvs_line_names_only_when_asked)
{
	struct ipvs_rule r;
	struct hk_err e;

	/* A port name from /etc/services, as ipvsadm -S without -n writes. */
	CHECK_EQ_INT(ipvs_parse_line("-A -t 192.0.2.1:http", IPVS_PARSE_NAMES, &r, &e), 1);
	CHECK_EQ_INT(r.svc.port, 80);
	CHECK_EQ_INT(ipvs_parse_line("-A -u 192.0.2.1:domain", IPVS_PARSE_NAMES, &r, &e), 1);
	CHECK_EQ_INT(r.svc.port, 53);
	CHECK_EQ_INT(ipvs_parse_line("-A -t 192.0.2.1:nosuchservice", IPVS_PARSE_NAMES, &r, &e), -1);
	CHECK(strstr(e.msg, "unknown port 'nosuchservice'"));
	CHECK_EQ_INT(ipvs_parse_line("-A -t localhost:80", IPVS_PARSE_NAMES, &r, &e), 1);
	CHECK_EQ_INT(r.svc.addr.family != 0, 1);
}

/* ------------------------------------------------------------- words */

static int words(const char *const *w, int n, struct ipvs_rule *r, bool dest, struct hk_err *e)
{
	int i = 0;

	memset(r, 0, sizeof(*r));
	if (ipvs_parse_svc_words((char **)w, n, &i, 0, &r->svc, e) < 0)
		return -1;
	if (dest) {
		r->op = IPVS_OP_ADD_DEST;
		if (ipvs_parse_dest_words((char **)w, n, &i, 0, true, r, e) < 0)
			return -1;
	} else {
		r->op = IPVS_OP_ADD_SVC;
		if (ipvs_parse_svc_opts((char **)w, n, &i, r, e) < 0)
			return -1;
	}
	return ipvs_rule_finish(r, e);
}

TEST(ipvs_words_service_and_options)
{
	static const char *const w1[] = { "tcp", "192.0.2.1:80", "sched", "wrr", "persistent",
					  "netmask", "255.255.0.0" };
	static const char *const w2[] = { "fwmark", "7", "ipv6", "sched", "lc", "persistent", "100",
					  "netmask", "64" };
	static const char *const w3[] = { "udp", "192.0.2.1:53", "sched", "sh", "flags",
					  "sh-port", "ops" };
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(words(w1, 7, &r, false, &e), 0);
	CHECK_EQ_STR(r.svc.sched, "wrr");
	CHECK_EQ_INT(r.svc.timeout, 360);
	CHECK_EQ_INT(r.svc.netmask, inet_addr("255.255.0.0"));
	CHECK_EQ_INT(words(w2, 9, &r, false, &e), 0);
	CHECK_EQ_INT(r.svc.af, AF_INET6);
	CHECK_EQ_INT(r.svc.fwmark, 7);
	CHECK_EQ_INT(r.svc.timeout, 100);
	CHECK_EQ_INT(r.svc.netmask, 64);
	CHECK_EQ_INT(words(w3, 7, &r, false, &e), 0);
	CHECK_EQ_INT(r.svc.flags, IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_ONEPACKET);
}

TEST(ipvs_words_destination_and_options)
{
	static const char *const w1[] = { "tcp", "192.0.2.1:80", "198.51.100.2:8080", "mode", "nat",
					  "weight", "0", "uthreshold", "10", "lthreshold", "2" };
	static const char *const w2[] = { "tcp", "192.0.2.1:80", "198.51.100.2" };
	struct ipvs_rule r;
	struct hk_err e;

	CHECK_EQ_INT(words(w1, 11, &r, true, &e), 0);
	CHECK_EQ_INT(r.dest.fwd, IP_VS_CONN_F_MASQ);
	CHECK_EQ_INT(r.dest.port, 8080);
	CHECK_EQ_INT(r.dest.weight, 0);
	CHECK_EQ_INT(r.dest.uthresh, 10);
	CHECK_EQ_INT(words(w2, 3, &r, true, &e), 0);
	CHECK_EQ_INT(r.dest.fwd, IP_VS_CONN_F_DROUTE);
	CHECK_EQ_INT(r.dest.port, 80);
}

TEST(ipvs_words_refuse_bad_input)
{
	static const char *const bad[][4] = {
		{ "icmp", "192.0.2.1:80" }, { "tcp" }, { "fwmark", "x" }, { "tcp", "192.0.2.1:80", "sched" },
		{ "tcp", "192.0.2.1:80", "sched", "fast" }, { "tcp", "192.0.2.1:80", "bogus" },
		{ "tcp", "192.0.2.1:80", "persistent", "0" }, { "tcp", "192.0.2.1:80", "pe", "x" },
	};
	static const char *const msgs[] = {
		"unknown service kind 'icmp'", "tcp needs a value", "'x' is not a whole number",
		"sched needs a value", "unknown scheduler 'fast'", "unknown service option 'bogus'",
		"'0' is out of range", "unknown persistence engine 'x'",
	};
	static const char *const dbad[][5] = {
		{ "tcp", "192.0.2.1:80", "198.51.100.1", "mode", "fast" },
		{ "tcp", "192.0.2.1:80", "198.51.100.1", "weight", "70000" },
		{ "tcp", "192.0.2.1:80", "198.51.100.1", "weight" },
		{ "tcp", "192.0.2.1:80", "198.51.100.1", "colour", "red" },
	};
	static const char *const dmsgs[] = {
		"unknown mode 'fast'", "'70000' is out of range", "weight needs a value",
		"unknown destination option 'colour'",
	};
	struct ipvs_rule r;
	struct hk_err e;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int n = 0;

		while (n < 4 && bad[k][n])
			n++;
		CHECK_EQ_INT(words(bad[k], n, &r, false, &e), -1);
		if (!strstr(e.msg, msgs[k]))
			t_fail(__FILE__, __LINE__, "'%s' lacks '%s'", e.msg, msgs[k]);
	}
	for (size_t k = 0; k < sizeof(dbad) / sizeof(dbad[0]); k++) {
		int n = 0;

		while (n < 5 && dbad[k][n])
			n++;
		CHECK_EQ_INT(words(dbad[k], n, &r, true, &e), -1);
		if (!strstr(e.msg, dmsgs[k]))
			t_fail(__FILE__, __LINE__, "'%s' lacks '%s'", e.msg, dmsgs[k]);
	}
}

TEST(ipvs_names_of_services_and_order)
{
	struct ipvs_rule a, b;
	struct hk_err e;
	char buf[IPVS_SVCSTRLEN];

	line("-A -t [2001:db8::1]:443", &a, &e);
	CHECK_EQ_STR(ipvs_svc_str(&a.svc, buf), "TCP [2001:db8::1]:443");
	line("-A -f 7 -6", &a, &e);
	CHECK_EQ_STR(ipvs_svc_str(&a.svc, buf), "FWM 7 IPv6");
	line("-A --sctp-service 192.0.2.2:36412", &a, &e);
	CHECK_EQ_STR(ipvs_svc_str(&a.svc, buf), "SCTP 192.0.2.2:36412");
	/* Address services before fwmark ones; then family, protocol,
	 * address, port -- compared as numbers, not as ipvsadm's ints. */
	line("-A -f 1", &a, &e);
	line("-A -t 203.0.113.1:80", &b, &e);
	CHECK(ipvs_svc_cmp(&b.svc, &a.svc) < 0);
	line("-A -t 10.0.0.1:80", &a, &e);
	CHECK(ipvs_svc_cmp(&a.svc, &b.svc) < 0);
	line("-A -u 10.0.0.1:80", &a, &e);
	CHECK(ipvs_svc_cmp(&b.svc, &a.svc) < 0);
	line("-A -t 203.0.113.1:79", &a, &e);
	CHECK(ipvs_svc_cmp(&a.svc, &b.svc) < 0);
	CHECK_EQ_INT(ipvs_svc_cmp(&b.svc, &b.svc), 0);
}
