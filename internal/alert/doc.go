// Package alert delivers sluice server's alerts (a task failed, a task's
// lag stayed above its threshold, and their resolution) as JSON POSTs to
// webhooks. Delivery never blocks the caller: alerts queue, bounded, per
// webhook, and each is retried with a bounded backoff, then dropped.
package alert
