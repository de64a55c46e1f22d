// Package control is the running stack seen from outside: a server in
// every run on a Unix socket private to the user, speaking HTTP/1.1 and
// JSON (docs/api.md), the lock that allows one run per Ovrfile, and the
// client the ovrseer subcommands and `ovrseer attach` use.
//
// The server never slows the stack: it reads the engine through snapshots
// and lossy subscriptions (views), every request body and stream is
// bounded, and a client that stops reading loses log lines, never blocks
// the engine.
package control
