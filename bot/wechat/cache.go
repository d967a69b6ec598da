package wechat

import (
	"context"
	"sync"
	"time"
)

// chatLocks hands out one lock per chat, so that the messages of a chat are
// handled one at a time (the engine wants them in order, and the reply taken
// after one must not carry the next one's answer), while chats run
// concurrently. An entry lives only while someone holds or waits for it.
type chatLocks struct {
	mu sync.Mutex
	m  map[string]*chatLock
}

type chatLock struct {
	ch   chan struct{} // holds a token while the lock is taken
	refs int           // holders and waiters
}

// lock waits for the chat's lock, or for ctx to end.
func (l *chatLocks) lock(ctx context.Context, chat string) (unlock func(), err error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*chatLock{}
	}
	e := l.m[chat]
	if e == nil {
		e = &chatLock{ch: make(chan struct{}, 1)}
		l.m[chat] = e
	}
	e.refs++
	l.mu.Unlock()

	release := func() {
		l.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(l.m, chat)
		}
		l.mu.Unlock()
	}
	select {
	case e.ch <- struct{}{}:
		return func() { <-e.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, context.Cause(ctx)
	}
}

// replyCache keeps the answer given to each delivery for a short time, so
// that WeChat's retries of it get the same answer. The engine's processed
// mark (in bbolt) already stops a retry from running a step twice; this only
// repeats the words.
//
// It lives in memory, bounded in size and age, on purpose: retries come
// within seconds to the same process, replies hold what people told the bot
// and should not be written to disk for this, and losing the cache in a
// restart costs at most a retry that gets what is still queued (or nothing)
// instead of a repeat.
type replyCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	m     map[string]string
	order []cacheEntry // oldest first; entries all live ttl, so also by expiry
}

type cacheEntry struct {
	key     string
	expires time.Time
}

func newReplyCache(ttl time.Duration, max int, now func() time.Time) *replyCache {
	if ttl <= 0 {
		ttl = DefaultReplyTTL
	}
	if max <= 0 {
		max = DefaultMaxReplies
	}
	if now == nil {
		now = time.Now
	}
	return &replyCache{ttl: ttl, max: max, now: now, m: map[string]string{}}
}

func (c *replyCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evict(c.now())
	r, ok := c.m[key]
	return r, ok
}

func (c *replyCache) put(key, reply string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.m[key]; !ok {
		c.order = append(c.order, cacheEntry{key, now.Add(c.ttl)})
	}
	c.m[key] = reply
	c.evict(now)
}

// evict drops expired entries, and the oldest ones beyond max.
func (c *replyCache) evict(now time.Time) {
	n := 0
	for n < len(c.order) && (len(c.order)-n > c.max || !now.Before(c.order[n].expires)) {
		delete(c.m, c.order[n].key)
		n++
	}
	// Reslicing leaves the dropped entries in the array until append
	// moves it; clear them so that their keys can be freed.
	clear(c.order[:n])
	c.order = c.order[n:]
}
