/*
 * genhash's MD5 on a second thread (hashpipe.c): the receiving thread
 * copies body bytes into a ring of blocks, the hashing thread consumes
 * them in order.
 */
#ifndef GH_HASHPIPE_H
#define GH_HASHPIPE_H

#include "md5.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GH_PIPE_BLOCK (256 * 1024)
#define GH_PIPE_BLOCKS 8

struct gh_block {
	size_t len;
	char data[GH_PIPE_BLOCK];
};

struct gh_pipe {
	struct gh_block ring[GH_PIPE_BLOCKS];
	uint64_t head, tail;	/* blocks handed over / hashed */
	bool filling;		/* ring[head] is being filled (feeder only) */
	bool closed;		/* no more blocks will come */
	struct hk_md5 md5;	/* the hasher's only */
	pthread_mutex_t lock;
	pthread_cond_t filled, freed;
	pthread_t thread;
};

/* Start the hashing thread.  Returns 0, or -1 with errno from
 * pthread_create(3). */
int gh_pipe_start(struct gh_pipe *p);

/* Add n bytes to the digest, in order; waits while the ring is full. */
void gh_pipe_feed(struct gh_pipe *p, const void *data, size_t n);

/* Wait for every byte to be hashed and write the digest.  Returns 0,
 * or -1 with errno EINVAL if the digest had not started. */
int gh_pipe_finish(struct gh_pipe *p, unsigned char out[HK_MD5_LEN]);

/* Stop the thread and drop the digest. */
void gh_pipe_cancel(struct gh_pipe *p);

#endif
