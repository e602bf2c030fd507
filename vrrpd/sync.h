/*
 * Sync groups across processes: the members of a group (one vrrpd per
 * instance) meet in a directory, DIR/GROUP/, where each listens on a
 * socket named after itself (MEMBER.sock, SOCK_SEQPACKET) and connects
 * to every other one it finds there.  Over these connections each
 * member tells the others its state whenever it changes: its VRRP
 * state, whether it wants to be master, whether it is in FAULT for a
 * reason of its own, its priority.  Every member keeps the same view
 * and draws the same conclusions as keepalived does for a
 * vrrp_sync_group (vrrp_group_eval()).
 *
 * A member that exits cleanly says goodbye and leaves the group; one
 * whose connections drop without a goodbye (a crash) is missing, and a
 * missing member puts the others in FAULT until it is back.  A socket
 * file nobody answers on is a member that died before this one
 * started: missing too.
 */
#ifndef VRRP_SYNC_H
#define VRRP_SYNC_H

#include "conf.h"
#include "parse.h"
#include "state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_SYNC_MAX_PEERS 31

/* What a member tells the others. */
struct vrrp_member {
	char name[VRRP_NAME_MAX + 1];
	enum vrrp_state state;
	bool want_master;
	bool fault;		/* its own fault, not one the group imposed */
	uint8_t prio;
	enum vrrp_state hooked;	/* the group state last given to the group hook */
};

/* This member's knowledge of another. */
struct vrrp_peer {
	struct vrrp_member m;
	bool known;		/* a status arrived */
	int nconn;		/* live connections to it */
	bool missing;		/* gone without a goodbye */
	uint64_t incarnation;	/* of the process that sent the status */
	uint32_t seq;
};

/* What the group means for this member. */
struct vrrp_group_view {
	bool fault;		/* a member is in FAULT of its own, or missing */
	bool can_master;	/* every other member wants to be, or is, master */
	bool settled;		/* every member found has reported */
	bool leader;		/* this member runs the group hook */
	enum vrrp_state gstate;	/* MASTER, BACKUP, FAULT; INIT while in between */
	char why[160];		/* the first cause of fault */
};

/*
 * The view from self over n peers (pure).  The leader is the member
 * with the smallest name among those present.  The group is FAULT if
 * any member is (or one is missing), MASTER if all are, BACKUP if all
 * are BACKUP or still starting, and in between (INIT) otherwise.
 */
void vrrp_group_eval(const struct vrrp_member *self, const struct vrrp_peer *peers, size_t n,
		     struct vrrp_group_view *v);

struct vrrp_sync;

/*
 * Join group in dir as member self: make DIR/GROUP (mode 0700, it
 * must belong to us and be writable by nobody else), take over
 * SELF.sock (refusing if a live member already answers there), connect
 * to the others.  Returns the group, or NULL with e set.
 */
struct vrrp_sync *vrrp_sync_open(const char *dir, const char *group, const char *self,
				 struct hk_err *e);

/* The descriptor to poll (an epoll instance over the group's sockets). */
int vrrp_sync_fd(const struct vrrp_sync *s);

/* Tell every member our status (sent again to each new connection). */
void vrrp_sync_publish(struct vrrp_sync *s, const struct vrrp_member *me);

enum vrrp_sync_event_type {
	VRRP_SYNC_NONE,
	VRRP_SYNC_CHANGED,	/* the view may have changed */
	VRRP_SYNC_PEER_MASTER,	/* name became master */
	VRRP_SYNC_PEER_BACKUP,	/* name left MASTER for BACKUP */
};

struct vrrp_sync_event {
	enum vrrp_sync_event_type type;
	char name[VRRP_NAME_MAX + 1];
	char what[96];		/* for the log: "VI_2 joined", "VI_2 is missing" */
};

/* Handle what is pending, one event at a time: returns 1 with ev set,
 * 0 when nothing more is queued. */
int vrrp_sync_next(struct vrrp_sync *s, struct vrrp_sync_event *ev);

/* The current view from me. */
void vrrp_sync_view(const struct vrrp_sync *s, const struct vrrp_member *me,
		    struct vrrp_group_view *v);

/* Leave: say goodbye if bye (a clean stop), remove our socket, close. */
void vrrp_sync_close(struct vrrp_sync *s, bool bye);

#endif
