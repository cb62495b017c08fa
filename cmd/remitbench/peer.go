package main

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The peer: python-sepaxml 2.7.0 writing the same number of pain.008
// transactions as remit's sdd, from memory. Its code is not ours and never
// enters the repository: -peer-sepaxml names a checkout of its tag 2.7.0;
// the driver that feeds it is ours, written next to the data at run time.
//
//go:embed sepaxml_driver.py
var sepaxmlDriver string

const peerVersion = "2.7.0"

type peerConfig struct {
	dir, python string
	sizes       []int
}

// defaultPython is Debian's Python, where python3-text-unidecode installs
// (a python3 earlier in PATH, e.g. pyenv's, does not see it).
func defaultPython() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// peerSetup says how to get the peer, for the report when it is missing.
const peerSetup = "To measure it: `apt-get install python3-text-unidecode`; fetch https://github.com/raphaelm/python-sepaxml " +
	"and check out its tag 2.7.0 outside the repository (`git clone https://github.com/raphaelm/python-sepaxml ../peer/sepaxml && " +
	"git -C ../peer/sepaxml checkout 2.7.0`); then `make bench BENCH_PEER_SEPAXML=../peer/sepaxml` " +
	"(the default when that folder exists), or `remitbench -peer-sepaxml DIR`."

// check returns why the peer cannot run, or "".
func (p peerConfig) check() string {
	if p.dir == "" {
		return "not measured: no python-sepaxml checkout given (-peer-sepaxml)."
	}
	init, err := os.ReadFile(filepath.Join(p.dir, "sepaxml", "__init__.py"))
	if err != nil {
		return fmt.Sprintf("not measured: %s is not a python-sepaxml checkout (%v).", p.dir, err)
	}
	if !strings.Contains(string(init), "version = '"+peerVersion+"'") {
		return fmt.Sprintf("not measured: the checkout in %s is not python-sepaxml %s (check out its tag %s).", p.dir, peerVersion, peerVersion)
	}
	cmd := exec.Command(p.python, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import text_unidecode, sepaxml", p.dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Sprintf("not measured: %s cannot import sepaxml and text_unidecode (%v: %s).", p.python, err, strings.TrimSpace(lastLine(string(out))))
	}
	return ""
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// runPeer measures remit's sdd and the peer on the same number of debits,
// interleaved: remit, peer, remit, peer…
func (b *bench) runPeer() {
	b.section = "peer"
	if len(b.peer.sizes) == 0 {
		return
	}
	if why := b.peer.check(); why != "" {
		b.notes["peer"] = append(b.notes["peer"], why+" "+peerSetup)
		fmt.Println("peer:", why)
		return
	}
	one, _ := shapeByName("one")
	for _, n := range b.peer.sizes {
		dir := b.shapeDir(one, n)
		if !b.pointed[dir] {
			b.preparePointed(one, n)
		}
		driver := filepath.Join(dir, "sepaxml_driver.py")
		if err := os.WriteFile(driver, []byte(sepaxmlDriver), 0o644); err != nil {
			fail(err)
		}
		absDir, err := filepath.Abs(b.peer.dir)
		if err != nil {
			fail(err)
		}
		var remitWalls, peerWalls []time.Duration
		var remitRSS, peerRSS []int64
		var size int64
		for i := 0; i < b.reps; i++ {
			restore(dir, "pointed.db")()
			w, r := b.run(dir, "sdd", "--no-bordereau")
			remitWalls, remitRSS = append(remitWalls, w), append(remitRSS, r)
			w, r, size = b.runPeerOnce(dir, absDir, n)
			peerWalls, peerRSS = append(peerWalls, w), append(peerRSS, r)
		}
		remit := b.record(result{stage: "remit sdd --no-bordereau", n: n, wall: medianDur(remitWalls), rssKB: medianInt(remitRSS),
			note: "shape “one” pointed in the database; one pain.008.001.08 file per scheme"})
		peer := result{stage: "python-sepaxml " + peerVersion, n: n, wall: medianDur(peerWalls), rssKB: medianInt(peerRSS)}
		remit.ratio = remit.wall.Seconds() / peer.wall.Seconds()
		peer.note = fmt.Sprintf("the same debits generated in memory, no database; %s in 2 files; remit ÷ peer: wall %.2f, peak RSS %.2f",
			mb(size), remit.ratio, float64(remit.rssKB)/float64(peer.rssKB))
		b.record(peer)
	}
}

// runPeerOnce runs the driver on n debits and returns its wall time, peak
// RSS and the bytes it wrote; it fails unless n transactions were written.
func (b *bench) runPeerOnce(dir, checkout string, n int) (time.Duration, int64, int64) {
	cmd := exec.Command(b.peer.python, "sepaxml_driver.py", checkout, fmt.Sprint(n), "peer")
	cmd.Dir = dir
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		fail(fmt.Errorf("python-sepaxml: %v\n%s", err, stderr.String()))
	}
	var txs int
	var size int64
	if _, err := fmt.Sscanf(stdout.String(), "transactions=%d bytes=%d", &txs, &size); err != nil || txs != n {
		fail(fmt.Errorf("python-sepaxml wrote %q, want %d transactions", stdout.String(), n))
	}
	sh(dir, "rm -f peer.*.xml")
	return wall, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss, size
}
