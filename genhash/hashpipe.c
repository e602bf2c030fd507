/*
 * MD5 on a thread of its own, fed through a ring of blocks: MD5 is the
 * bulk of genhash's work on a big body, and hashing one block while the
 * next is received makes genhash as fast as `curl | md5sum`, which gets
 * the same overlap from its two processes.  Memory is the ring, fixed.
 */
#include "hashpipe.h"

#include <errno.h>
#include <string.h>

void gh_pipe_feed(struct gh_pipe *p, const void *data, size_t n)
{
	const char *s = data;

	while (n > 0) {
		struct gh_block *b = &p->ring[p->head % GH_PIPE_BLOCKS];
		size_t take;

		if (!p->filling) {
			/* Wait for a free block: the hasher is behind. */
			pthread_mutex_lock(&p->lock);
			while (p->head - p->tail == GH_PIPE_BLOCKS)
				pthread_cond_wait(&p->freed, &p->lock);
			pthread_mutex_unlock(&p->lock);
			b->len = 0;
			p->filling = true;
		}
		take = GH_PIPE_BLOCK - b->len;
		if (take > n)
			take = n;
		memcpy(b->data + b->len, s, take);
		b->len += take;
		s += take;
		n -= take;
		if (b->len == GH_PIPE_BLOCK) {
			pthread_mutex_lock(&p->lock);
			p->head++;
			pthread_cond_signal(&p->filled);
			pthread_mutex_unlock(&p->lock);
			p->filling = false;
		}
	}
}

static void *hasher(void *arg)
{
	struct gh_pipe *p = arg;

	for (;;) {
		struct gh_block *b;

		pthread_mutex_lock(&p->lock);
		while (p->tail == p->head && !p->closed)
			pthread_cond_wait(&p->filled, &p->lock);
		if (p->tail == p->head) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		b = &p->ring[p->tail % GH_PIPE_BLOCKS];
		pthread_mutex_unlock(&p->lock);

		hk_md5_update(&p->md5, b->data, b->len);

		pthread_mutex_lock(&p->lock);
		p->tail++;
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
	}
}

int gh_pipe_start(struct gh_pipe *p)
{
	int err;

	p->head = p->tail = 0;
	p->filling = false;
	p->closed = false;
	hk_md5_init(&p->md5);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->freed, NULL);
	err = pthread_create(&p->thread, NULL, hasher, p);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Hand over the partly filled block, tell the hasher there is no more,
 * and wait for it. */
static void drain(struct gh_pipe *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->filling) {
		p->head++;
		p->filling = false;
	}
	p->closed = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->freed);
}

int gh_pipe_finish(struct gh_pipe *p, unsigned char out[HK_MD5_LEN])
{
	drain(p);
	return hk_md5_final(&p->md5, out);
}

void gh_pipe_cancel(struct gh_pipe *p)
{
	drain(p);
	hk_md5_free(&p->md5);
}
