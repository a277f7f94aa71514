package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// child is a server process the bench started and measures.
type child struct {
	name  string
	url   string // base URL
	cmd   *exec.Cmd
	stdin io.WriteCloser
	log   string // file holding the child's stderr
	done  chan error
}

// pid returns the child's process id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// stop ends the child: it closes stdin (the bench's own servers end then),
// sends SIGINT (ajans drains and stops), and kills it after a while.
func (c *child) stop() {
	c.stdin.Close()
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}

// failure returns err with the last lines the child wrote to stderr.
func (c *child) failure(err error) error {
	data, _ := os.ReadFile(c.log)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return fmt.Errorf("%s: %w\n%s", c.name, err, strings.Join(lines, "\n"))
}

// startChild starts exe with args and env. Its stderr goes to a file in
// dir; its stdin is a pipe the child may watch to know the bench is gone.
func startChild(name, dir, exe string, args, env []string) (*child, io.Reader, error) {
	c := &child{name: name, log: filepath.Join(dir, name+".log"), done: make(chan error, 1)}
	logFile, err := os.Create(c.log)
	if err != nil {
		return nil, nil, err
	}
	c.cmd = exec.Command(exe, args...)
	c.cmd.Env = env
	c.cmd.Stderr = logFile
	dieWithParent(c.cmd)
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		c.done <- c.cmd.Wait()
		logFile.Close()
	}()
	return c, stdout, nil
}

// startServer starts the bench binary as one of its own servers and reads
// the URL it prints.
func startServer(name, dir string, args ...string) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	c, stdout, err := startChild(name, dir, self, args, os.Environ())
	if err != nil {
		return nil, err
	}
	line, err := firstLine(stdout, 30*time.Second)
	if err != nil {
		c.stop()
		return nil, c.failure(err)
	}
	go io.Copy(io.Discard, stdout)
	c.url = line
	return c, nil
}

// firstLine reads one line from r, waiting at most limit.
func firstLine(r io.Reader, limit time.Duration) (string, error) {
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case line := <-got:
		if line == "" {
			return "", errors.New("exited before it served")
		}
		return line, nil
	case <-time.After(limit):
		return "", errors.New("printed no address in time")
	}
}

// ajansEnv is the environment ajans runs with: the bench's own, less any
// AJANS_* setting, plus the given ones.
func ajansEnv(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AJANS_") {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// startAjans runs `ajans serve` on a free port against the mock model and
// waits until it answers /healthz.
func startAjans(ctx context.Context, name, dir, exe, dataDir, dbURL, mockURL string) (
	*child, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	env := ajansEnv(map[string]string{
		"AJANS_OPENAI_BASE_URL": mockURL,
		"AJANS_MODEL":           "mock",
		"AJANS_LOG_LEVEL":       "warn",
		"AJANS_DATA_DIR":        dataDir,
		"AJANS_DATABASE_URL":    dbURL,
	})
	c, stdout, err := startChild(name, dir, exe, []string{"serve", "--addr", addr}, env)
	if err != nil {
		return nil, err
	}
	go io.Copy(io.Discard, stdout)
	c.url = "http://" + addr
	if err := waitHealthy(ctx, c); err != nil {
		c.stop()
		return nil, c.failure(err)
	}
	return c, nil
}

// waitHealthy polls the child's /healthz until it answers 200.
func waitHealthy(ctx context.Context, c *child) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-c.done:
			return fmt.Errorf("exited before it served: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		resp, err := http.Get(c.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("did not answer /healthz within a minute")
}

// freeAddr returns an address on 127.0.0.1 with a port nothing listens on
// now. Another process could take it before ajans does; that is unlikely
// and shows as a start failure.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

// buildAjans builds the ajans binary from the module at root into dir.
func buildAjans(ctx context.Context, root, dir string) (string, error) {
	exe := filepath.Join(dir, "ajans")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", exe, "./cmd/ajans")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build ajans: %w\n%s", err, out)
	}
	return exe, nil
}

// moduleRoot returns the folder of the main module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the bench inside the ajans module (go run ./bench)")
	}
	return filepath.Dir(mod), nil
}
