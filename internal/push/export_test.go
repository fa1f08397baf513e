package push

// SignEveryPush makes s sign a new VAPID JWT for every message, the way
// webpush-go does, so the benchmark can show what the cache saves.
func SignEveryPush(s *Sender) { s.auth.signEach = true }
