package bot

// Config.OnHandled learns what became of each update, for metrics. It is
// called after the transaction, from the goroutine that called Handle, and
// must not block. It never receives a chat, a text or anything else
// personal: only the kind of outcome, one of:
//
//	"ok"         handled; messages may have been queued
//	"duplicate"  handled before; skipped
//	"stale"      a press on a button that is no longer active
//	"error"      the transaction failed; nothing was written

// outcomeKind names an update's result for Config.OnHandled.
func outcomeKind(out Outcome, err error) string {
	switch {
	case err != nil:
		return "error"
	case out.Duplicate:
		return "duplicate"
	case out.Stale:
		return "stale"
	}
	return "ok"
}

// observe reports a finished update to Config.OnHandled, if set.
func (e *Engine) observe(out Outcome, err error) {
	if e.onHandled != nil {
		e.onHandled(outcomeKind(out, err))
	}
}
