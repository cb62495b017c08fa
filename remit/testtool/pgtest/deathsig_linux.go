package pgtest

import "syscall"

// dieWithParent makes the kernel send SIGQUIT (PostgreSQL's immediate
// shutdown) to the process when the thread that started it dies.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
