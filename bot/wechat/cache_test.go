package wechat

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestReplyCacheBounds(t *testing.T) {
	now := time.Unix(1700000000, 0)
	c := newReplyCache(time.Minute, 3, func() time.Time { return now })
	c.put("a", "A")
	now = now.Add(30 * time.Second)
	c.put("b", "B")
	if r, ok := c.get("a"); !ok || r != "A" {
		t.Errorf("get(a) = %q, %v before it expired", r, ok)
	}
	now = now.Add(30 * time.Second) // a is a minute old
	if _, ok := c.get("a"); ok {
		t.Error("a outlived its TTL")
	}
	if r, ok := c.get("b"); !ok || r != "B" {
		t.Errorf("get(b) = %q, %v", r, ok)
	}
	for i := range 5 {
		c.put(strconv.Itoa(i), "x")
	}
	if len(c.m) != 3 || len(c.order) != 3 {
		t.Errorf("holds %d entries (%d in order), want at most 3", len(c.m), len(c.order))
	}
	if _, ok := c.get("4"); !ok {
		t.Error("the newest entry was dropped")
	}
	if _, ok := c.get("b"); ok {
		t.Error("the oldest entry was kept over the bound")
	}
	c.put("4", "y") // a rewrite is not a second entry
	if r, _ := c.get("4"); r != "y" || len(c.order) != 3 {
		t.Errorf("rewrite: %q, %d in order", r, len(c.order))
	}
}

func TestChatLocks(t *testing.T) {
	var l chatLocks
	unlock, err := l.lock(context.Background(), "wx:a")
	if err != nil {
		t.Fatal(err)
	}
	// Another chat is not held up.
	unlockB, err := l.lock(context.Background(), "wx:b")
	if err != nil {
		t.Fatal(err)
	}
	unlockB()
	// The same chat waits, until its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.lock(ctx, "wx:a"); !errors.Is(err, context.Canceled) {
		t.Errorf("second lock of a held chat = %v, want canceled", err)
	}
	got := make(chan struct{})
	go func() {
		u, err := l.lock(context.Background(), "wx:a")
		if err == nil {
			u()
		}
		close(got)
	}()
	unlock()
	<-got
	if len(l.m) != 0 {
		t.Errorf("%d lock entries left after every holder left", len(l.m))
	}
}
