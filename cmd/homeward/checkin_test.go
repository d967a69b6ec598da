package main

import (
	"strings"
	"testing"
	"time"
)

func TestCheckinConfig(t *testing.T) {
	env := envFunc(func(k string) string {
		return map[string]string{
			"HOMEWARD_MIN_INTERVAL":   "30s",
			"HOMEWARD_RETENTION_DAYS": "7",
			"HOMEWARD_MAX_REPEATS":    "3",
			"TELEGRAM_BOT_USERNAME":   "HomewardBot",
		}[k]
	})
	c, err := checkinConfig(env)
	if err != nil {
		t.Fatal(err)
	}
	if c.MinInterval != 30*time.Second || c.Ladder.Retention != 7*24*time.Hour || c.Ladder.MaxRepeats != 3 ||
		c.LinkBase != "https://t.me/HomewardBot?start=" || c.Ladder.Early != 15*time.Second {
		t.Errorf("config %+v", c)
	}
	for k, v := range map[string]string{"HOMEWARD_MIN_GRACE": "soon", "HOMEWARD_RETENTION_DAYS": "0", "HOMEWARD_MAX_EXTENSIONS": "-1", "HOMEWARD_URGENT_AFTER": "-1h"} {
		_, err := checkinConfig(func(key string) string {
			if key == k {
				return v
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: error %v", k, v, err)
		}
	}
}
