//go:build !race

package loadguard

const raceBuild = false
