//go:build !linux

package main

import (
	"errors"
	"os/exec"
	"time"
)

// errNoProc says that process figures are read from /proc, which only
// Linux has; the tables show them as "n/a" elsewhere.
var errNoProc = errors.New("process figures need Linux /proc")

func cpuTime(pid int) (time.Duration, error) { return 0, errNoProc }

func memory(pid int) (rss, peak int64, err error) { return 0, 0, errNoProc }

func dieWithParent(cmd *exec.Cmd) {}

func loadAverage() string { return "n/a" }

func machineTicks() (busy, steal, total int64, err error) { return 0, 0, 0, errNoProc }
