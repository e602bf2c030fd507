#!/usr/bin/env bats
# hakit and keepalived in one cluster: the seeds' pairs with keepalived
# (Debian's 2.2.7) on one director and hakit on the other, each on its
# own copy of the same keepalived.conf, and as a pure keepalived pair,
# the reference.  Every scenario (tests/fixtures/e2e/helpers.bash) asserts
# the same VIP placement at each step whoever runs each node: the claim
# is that an operator can replace keepalived one director at a time.

load lib/common
load lib/net
load fixtures/e2e/helpers

setup() {
	net_init
	T=$(scratch)
}

teardown() {
	net_cleanup
}

@test "seed 002's pair, hakit master and keepalived backup: the same failovers and failbacks" {
	scenario_002 hakit keepalived
	nodes_clean
}

@test "seed 002's pair, keepalived master and hakit backup: the same failovers and failbacks" {
	scenario_002 keepalived hakit
	nodes_clean
}

@test "seed 002's pair under keepalived alone: the placements the hakit pairs are held to" {
	scenario_002 keepalived keepalived
	nodes_clean
}

@test "seed 001's active/active pair, keepalived on ka01 and hakit on ka02: VIPs move and stay" {
	scenario_001 keepalived hakit
	nodes_clean
}

@test "seed 001's active/active pair under keepalived alone: the placements the hakit pairs are held to" {
	scenario_001 keepalived keepalived
	nodes_clean
}
