// Package nomadjob holds only a test: it decodes the Nomad jobs that
// `ovrseer export nomad` writes into Nomad's own API types
// (github.com/hashicorp/nomad/api), unknown fields disallowed. It is a
// package of its own so that no other package's tests compile that module.
package nomadjob
