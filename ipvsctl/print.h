/* Printing IPVS tables: ipvsadm's list and rule formats, and JSON. */
#ifndef IPVS_PRINT_H
#define IPVS_PRINT_H

#include "ipvs.h"

#include <stdio.h>

enum {
	IPVS_FMT_NUMERIC = 1 << 0,	/* no host or service names */
	IPVS_FMT_STATS = 1 << 1,	/* counters instead of weights */
	IPVS_FMT_RATE = 1 << 2,		/* rates instead of weights */
	IPVS_FMT_THRESH = 1 << 3,	/* thresholds instead of weights */
	IPVS_FMT_EXACT = 1 << 4,	/* whole numbers, no K/M/G */
};

/* The table as `ipvsadm -L` shows it; header adds the version line
 * (ipvsadm omits it when listing one service). */
void ipvs_print_list(FILE *f, const struct ipvs_table *t, uint32_t version, uint32_t size,
		     bool header, unsigned fmt);

/* The table as `ipvsadm -S` rule lines (plus -x/-y, which ipvsadm
 * loses). */
void ipvs_print_save(FILE *f, const struct ipvs_table *t, unsigned fmt);

/* One rule line: cmd is "-A", "-E", "-D" / "-a", "-e", "-d". */
void ipvs_print_svc_rule(FILE *f, const char *cmd, const struct ipvs_service *s, unsigned fmt);
void ipvs_print_dest_rule(FILE *f, const char *cmd, const struct ipvs_service *s,
			  const struct ipvs_dest *d, unsigned fmt);

/* A change as the rule line that makes it (numeric). */
void ipvs_print_change(FILE *f, const struct ipvs_change *c);

/* The table as one JSON object, statistics included. */
void ipvs_print_json(FILE *f, const struct ipvs_table *t, uint32_t version, uint32_t size);

#endif
