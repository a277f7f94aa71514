package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/llm/openai"
)

// The bench binary runs itself as the mock model and as the floor, so that
// each is a process of its own, measured apart from the load generator.
// Both print their base URL on the first line of stdout and serve until
// their stdin closes, which happens when the bench ends or dies.
const (
	cmdMock  = "internal-mock"
	cmdFloor = "internal-floor"
)

// Control paths of the mock: peakPath answers the most requests the mock
// had open at once since it was last asked, and starts counting again;
// delayPath?d=DURATION sets how long every answer waits from now on.
const (
	peakPath  = "/bench/peak"
	delayPath = "/bench/delay"
)

// runMock serves the mock model, its answers waiting the delay given in
// args until told another.
func runMock(args []string) error {
	fs := flag.NewFlagSet(cmdMock, flag.ContinueOnError)
	initial := fs.Duration("delay", 0, "how long every answer waits")
	if err := fs.Parse(args); err != nil {
		return err
	}
	model := mock.New(mock.Options{})
	var open, peak, delay atomic.Int64
	delay.Store(int64(*initial))
	mux := http.NewServeMux()
	mux.HandleFunc(peakPath, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(peak.Swap(open.Load()))
	})
	mux.HandleFunc(delayPath, func(w http.ResponseWriter, r *http.Request) {
		d, err := time.ParseDuration(r.FormValue("d"))
		if err != nil || d < 0 {
			http.Error(w, "d must be a duration", http.StatusBadRequest)
			return
		}
		delay.Store(int64(d))
	})
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := open.Add(1)
		defer open.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if d := time.Duration(delay.Load()); d > 0 && !sleep(r.Context(), d) {
			http.Error(w, "cancelled", http.StatusServiceUnavailable)
			return
		}
		model.ServeHTTP(w, r)
	}))
	return serveChild(mux, "/v1")
}

// runFloor serves the floor: a plain reverse proxy to the mock model, with
// the same connection pool size as ajans's own model client.
func runFloor(args []string) error {
	fs := flag.NewFlagSet(cmdFloor, flag.ContinueOnError)
	upstream := fs.String("upstream", "", "the mock model's base URL, without /v1")
	if err := fs.Parse(args); err != nil {
		return err
	}
	target, err := url.Parse(*upstream)
	if err != nil || target.Host == "" {
		return fmt.Errorf("floor: upstream %q is not a URL", *upstream)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = openai.MaxIdleConnsPerHost
	proxy := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport: t,
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	return serveChild(proxy, "")
}

// serveChild serves h on a free port of 127.0.0.1, prints the base URL
// (with suffix) and serves until stdin closes.
func serveChild(h http.Handler, suffix string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln)
	fmt.Printf("http://%s%s\n", ln.Addr(), suffix)

	io.Copy(io.Discard, os.Stdin) // returns when the parent closes the pipe
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}
