//go:build !linux

package pgtest

import "syscall"

// dieWithParent has no equivalent outside Linux: a cluster whose supervisor
// was killed keeps running until the next start removes its folder.
func dieWithParent(*syscall.SysProcAttr) {}
