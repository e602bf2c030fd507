#include "packet.h"
#include "cksum.h"

#include <string.h>

static const struct {
	const char *name, *text;
} drops[VRRP_DROP_MAX] = {
	[VRRP_OK] = { "ok", "valid" },
	[VRRP_DROP_SHORT] = { "short", "shorter than the headers" },
	[VRRP_DROP_TRUNCATED] = { "truncated", "truncated (IP total length beyond the data)" },
	[VRRP_DROP_IP_HEADER] = { "ip_header", "bad IP header" },
	[VRRP_DROP_TTL] = { "ttl", "TTL is not 255" },
	[VRRP_DROP_VERSION] = { "version", "wrong VRRP version" },
	[VRRP_DROP_TYPE] = { "type", "not an advertisement" },
	[VRRP_DROP_VRID] = { "vrid", "another VRID" },
	[VRRP_DROP_LENGTH] = { "length", "length does not match the address count" },
	[VRRP_DROP_CHECKSUM] = { "checksum", "bad checksum" },
	[VRRP_DROP_AUTH] = { "auth", "authentication mismatch" },
	[VRRP_DROP_INTERVAL] = { "interval", "advertisement interval mismatch" },
	[VRRP_DROP_ADDR_LIST] = { "address_list", "virtual addresses differ from ours" },
	[VRRP_DROP_NOT_PEER] = { "not_peer", "sender is not a unicast peer" },
	[VRRP_DROP_OWN] = { "own", "our own advert" },
};

const char *vrrp_drop_name(enum vrrp_drop d)
{
	return (unsigned)d < VRRP_DROP_MAX ? drops[d].name : "unknown";
}

const char *vrrp_drop_text(enum vrrp_drop d)
{
	return (unsigned)d < VRRP_DROP_MAX ? drops[d].text : "unknown";
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Sum of the VRRP message, with the pseudo-header where it belongs:
 * always for IPv6, for v3 over IPv4 unless told to leave it out. */
static uint32_t msg_sum(const uint8_t *m, size_t len, int family, uint8_t version,
			const struct hk_addr *src, const struct hk_addr *dst,
			bool v3_as_v2)
{
	uint32_t sum = 0;

	if (family == AF_INET6 || (version == 3 && !v3_as_v2))
		sum = hk_cksum_pseudo(src, dst, VRRP_PROTO, (uint32_t)len);
	return hk_cksum_add(sum, m, len);
}

/* Does every address of ours appear in the advert, and no other? */
static bool same_addrs(const uint8_t *addrs, size_t n, size_t alen,
		       const struct hk_addr *vips, size_t nvips)
{
	if (n != nvips)
		return false;
	for (size_t i = 0; i < nvips; i++) {
		size_t j;

		for (j = 0; j < n && memcmp(addrs + j * alen, vips[i].bytes, alen) != 0; j++)
			;
		if (j == n)
			return false;
	}
	return true;
}

static enum vrrp_drop parse_msg(const uint8_t *m, size_t len,
				const struct vrrp_expect *exp, struct vrrp_adv *out)
{
	size_t alen = addr_len(exp->family), want;

	if (len < VRRP_HDR_LEN)
		return VRRP_DROP_SHORT;
	out->version = m[0] >> 4;
	if (out->version != exp->version)
		return VRRP_DROP_VERSION;
	if ((m[0] & 0x0f) != 1)
		return VRRP_DROP_TYPE;
	out->vrid = m[1];
	if (out->vrid != exp->vrid)
		return VRRP_DROP_VRID;
	out->priority = m[2];
	out->naddr = m[3];
	want = VRRP_HDR_LEN + out->naddr * alen;
	if (out->version == 2)
		want += VRRP_AUTH_LEN;	/* v2 exists only over IPv4 here */
	if (len != want)
		return VRRP_DROP_LENGTH;
	if (hk_cksum_fold(msg_sum(m, len, exp->family, out->version, &out->src,
				  &out->dst, exp->v3_cksum_as_v2)) != 0)
		return VRRP_DROP_CHECKSUM;
	out->addrs = m + VRRP_HDR_LEN;
	if (out->version == 2) {
		out->auth_type = m[4];
		if (out->auth_type != exp->auth_type)
			return VRRP_DROP_AUTH;
		if (out->auth_type == 1 &&
		    memcmp(m + len - VRRP_AUTH_LEN, exp->auth, VRRP_AUTH_LEN) != 0)
			return VRRP_DROP_AUTH;
		out->interval_cs = m[5] * 100u;
		if (m[5] != exp->v2_interval)
			return VRRP_DROP_INTERVAL;
	} else {
		out->auth_type = 0;
		out->interval_cs = get16(m + 4) & 0x0fff;
		if (out->interval_cs == 0)
			return VRRP_DROP_INTERVAL;
	}
	/* RFC 3768 7.1 / RFC 5798 7.1: a router whose addresses differ is
	 * misconfigured; only the address owner's adverts still count. */
	if (exp->vips && out->priority != VRRP_PRIO_OWNER &&
	    !same_addrs(out->addrs, out->naddr, alen, exp->vips, exp->nvips))
		return VRRP_DROP_ADDR_LIST;
	return VRRP_OK;
}

enum vrrp_drop vrrp_parse(const uint8_t *buf, size_t len, int family,
			  const struct vrrp_rxmeta *meta,
			  const struct vrrp_expect *exp, struct vrrp_adv *out)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET6) {
		if (meta) {
			out->src = meta->src;
			out->dst = meta->dst;
			out->ttl = meta->hoplimit;
		} else {
			out->src.family = out->dst.family = AF_INET6;
			out->ttl = -1;
		}
		if (exp->check_ttl && out->ttl != VRRP_TTL)
			return VRRP_DROP_TTL;
		return parse_msg(buf, len, exp, out);
	}
	if (family != AF_INET || len < VRRP_IP4_HDR_LEN)
		return VRRP_DROP_SHORT;

	size_t ihl = (size_t)(buf[0] & 0x0f) * 4, tot = get16(buf + 2);

	if (buf[0] >> 4 != 4 || ihl < VRRP_IP4_HDR_LEN || buf[9] != VRRP_PROTO)
		return VRRP_DROP_IP_HEADER;
	if (ihl > len)
		return VRRP_DROP_SHORT;
	out->src.family = out->dst.family = AF_INET;
	memcpy(&out->src.v4, buf + 12, 4);
	memcpy(&out->dst.v4, buf + 16, 4);
	out->ttl = buf[8];
	if (tot > len)
		return VRRP_DROP_TRUNCATED;
	if (tot < ihl)
		return VRRP_DROP_IP_HEADER;
	if (exp->check_ttl && out->ttl != VRRP_TTL)
		return VRRP_DROP_TTL;
	/* The kernel trims link-layer padding: anything past the total
	 * length is not part of the datagram. */
	return parse_msg(buf + ihl, tot - ihl, exp, out);
}

size_t vrrp_build(uint8_t *buf, size_t cap, const struct vrrp_txparams *p)
{
	size_t alen = addr_len(p->family), ip = p->family == AF_INET ? VRRP_IP4_HDR_LEN : 0;
	size_t mlen = VRRP_HDR_LEN + p->naddr * alen;
	size_t max = p->family == AF_INET ? VRRP_MAX_ADDRS_V4 : VRRP_MAX_ADDRS_V6;
	uint8_t *m = buf + ip;

	if ((p->family != AF_INET && p->family != AF_INET6) || p->naddr > max ||
	    (p->version != 2 && p->version != 3) ||
	    (p->version == 2 && p->family != AF_INET) ||
	    p->src.family != p->family || p->dst.family != p->family)
		return 0;
	if (p->version == 2)
		mlen += VRRP_AUTH_LEN;
	if (ip + mlen > cap)
		return 0;
	for (size_t i = 0; i < p->naddr; i++) {
		if (p->addrs[i].family != p->family)
			return 0;
		memcpy(m + VRRP_HDR_LEN + i * alen, p->addrs[i].bytes, alen);
	}

	m[0] = (uint8_t)(p->version << 4 | 1);
	m[1] = p->vrid;
	m[2] = p->priority;
	m[3] = (uint8_t)p->naddr;
	if (p->version == 2) {
		m[4] = p->auth_type;
		m[5] = (uint8_t)(p->interval_cs / 100);
		if (p->auth_type == 1)
			memcpy(m + mlen - VRRP_AUTH_LEN, p->auth, VRRP_AUTH_LEN);
		else
			memset(m + mlen - VRRP_AUTH_LEN, 0, VRRP_AUTH_LEN);
	} else {
		put16(m + 4, (uint16_t)(p->interval_cs & 0x0fff));
	}
	m[6] = m[7] = 0;

	uint16_t ck = hk_cksum_fold(msg_sum(m, mlen, p->family, p->version, &p->src,
					    &p->dst, p->v3_cksum_as_v2));

	memcpy(m + 6, &ck, 2);

	if (ip) {
		buf[0] = 0x45;
		buf[1] = VRRP_TOS;
		put16(buf + 2, (uint16_t)(ip + mlen));
		put16(buf + 4, p->ip_id);
		put16(buf + 6, 0);
		buf[8] = VRRP_TTL;
		buf[9] = VRRP_PROTO;
		buf[10] = buf[11] = 0;
		memcpy(buf + 12, &p->src.v4, 4);
		memcpy(buf + 16, &p->dst.v4, 4);
		ck = hk_cksum_fold(hk_cksum_add(0, buf, ip));
		memcpy(buf + 10, &ck, 2);
	}
	return ip + mlen;
}
