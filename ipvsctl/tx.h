/* Running a plan as a transaction, with rollback on refusal. */
#ifndef IPVS_TX_H
#define IPVS_TX_H

#include "ipvs.h"
#include "nl.h"

enum {
	IPVS_TX_OK = 0,		/* every request was made */
	IPVS_TX_FAILED = 1,	/* one was refused; what was made was undone */
	IPVS_TX_HALF = 2,	/* one was refused and undoing failed too */
};

/*
 * Make todo's requests; at the first refusal stop, and put the services
 * they touch back as they are in orig (the table they were planned
 * against).  Returns IPVS_TX_*; msg receives the sentence for a
 * failure ("line 3: destination ... already exists in ...; the 2
 * changes made were undone, nothing was changed").
 */
int ipvs_tx_run(struct ipvs_nl *nl, const struct ipvs_plan *todo, const struct ipvs_table *orig,
		char *msg, size_t len);

#endif
