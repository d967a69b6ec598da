package bot

import "context"

// TakeOutbox removes and returns every queued message of a channel, in one
// transaction. Channels that answer in the same breath as the update (the
// console, WeChat's passive replies) use it; Telegram's dispatcher instead
// deletes each message only after the platform accepted it.
func TakeOutbox(ctx context.Context, st Store, channel string) ([]Message, error) {
	var out []Message
	err := st.Update(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Outbox(channel, 0)
		if err != nil {
			return err
		}
		for _, m := range out {
			if err := tx.Dequeue(channel, m.Seq); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
