// Package api serves sluice server's REST API under /api/v1: JSON over
// net/http's method and pattern routing, a bearer token on every route,
// task lifecycle and history from internal/task. docs/api.yaml describes
// every route (a test keeps the two equal). Passwords are write-only: a
// task's spec is returned without them, and no route shows one.
package api
