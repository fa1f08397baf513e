package store

import "context"

// Publish implements Store; delivery is in process only.
func (b *Bolt) Publish(ctx context.Context, channel string, msg []byte) error {
	return b.hub.publish(channel, msg)
}

// Subscribe implements Store; a subscriber more than a buffer behind loses
// messages rather than slowing down publishers.
func (b *Bolt) Subscribe(ctx context.Context, channel string) (<-chan []byte, func(), error) {
	return b.hub.subscribe(ctx, channel)
}
