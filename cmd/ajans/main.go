// Command ajans is the self-hosted AI assistant platform: one binary that
// serves the AIGENCY API v2 and administers its users, apps and credits.
//
//	ajans [--data DIR] [--database-url URL] COMMAND [flags]
//
// Commands: serve, migrate, user create, credit grant, app create,
// app transfer, app list. Run a command with -h for its flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ajans/ajans"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// Main runs the command line with args and returns the exit code: 0 on
// success (and for -h), 1 when the command failed, 2 when it was called
// wrongly. An error is one line on stderr.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer,
	getenv func(string) string) int {
	cli := &cli{stdout: stdout, stderr: stderr, getenv: getenv}
	err := cli.run(ctx, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "ajans: %s\n", flatten(err.Error()))
		return 2
	default:
		fmt.Fprintf(stderr, "ajans: %s\n", oneLine(err))
		return 1
	}
}

// usageError is a command called wrongly: cmd is the command ("" for ajans
// itself) and msg what was wrong.
type usageError struct{ cmd, msg string }

func (e usageError) Error() string {
	if e.cmd == "" {
		return e.msg + " (see ajans -h)"
	}
	return e.cmd + ": " + e.msg + " (see ajans " + e.cmd + " -h)"
}

// oneLine is the message for an error on one line: the caller-safe message
// of an *ajans.Error, or the error itself.
func oneLine(err error) string {
	var e *ajans.Error
	if errors.As(err, &e) && e.Code != ajans.EINTERNAL {
		return flatten(e.Message)
	}
	return flatten(err.Error())
}

// flatten joins the lines of s with "; ", so an error is always one line.
func flatten(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
}

// cli holds what every command shares.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	cfg            Config

	// Flag values that override the configuration once it is read.
	dataDir, databaseURL, configFile string
}

const usage = `usage: ajans [--data DIR] [--database-url URL] COMMAND [flags]

commands:
  serve [--addr 127.0.0.1:8080] [--config FILE] [--dev]   run the server
  migrate                                                bring the database schema up to date
  user create --email E --plan free|starter|pro|business [--password P] [--admin]
  credit grant --email E --amount N [--reason TEXT]      add credits to a user's account
  app create --email E --name NAME                       create an app; prints its token last
  app transfer --token T --amount N                      move credits from the account to the app
  app list --email E                                     list a user's apps
  plan set --email E --plan NAME                         move a user to a plan; loads its allowance
  package grant --email E --amount N --ref REF           add credits that never expire, once per REF
  allowance renew                                        renew the accounts whose cycle has ended

environment: AJANS_DATA_DIR, AJANS_DATABASE_URL, AJANS_CONFIG and the others in the README.
`

func (c *cli) run(ctx context.Context, args []string) error {
	fs := c.flags("ajans")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(c.stdout, usage)
			return err
		}
		return usageError{msg: err.Error()}
	}
	args = fs.Args()
	if len(args) == 0 {
		return usageError{msg: "no command given: try ajans serve --dev"}
	}
	cmd, rest := args[0], args[1:]
	if subs := subcommands(cmd); subs != "" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return usageError{msg: fmt.Sprintf("%s needs a subcommand: %s", cmd, subs)}
		}
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return c.serve(ctx, rest)
	case "migrate":
		return c.migrate(ctx, rest)
	case "user create":
		return c.userCreate(ctx, rest)
	case "credit grant":
		return c.creditGrant(ctx, rest)
	case "app create":
		return c.appCreate(ctx, rest)
	case "app transfer":
		return c.appTransfer(ctx, rest)
	case "app list":
		return c.appList(ctx, rest)
	case "plan set":
		return c.planSet(ctx, rest)
	case "package grant":
		return c.packageGrant(ctx, rest)
	case "allowance renew":
		return c.allowanceRenew(ctx, rest)
	default:
		return usageError{msg: fmt.Sprintf("unknown command %q", cmd)}
	}
}

// subcommands lists the subcommands of cmd, or is "" when it has none.
func subcommands(cmd string) string {
	switch cmd {
	case "user":
		return "user create"
	case "credit":
		return "credit grant"
	case "app":
		return "app create, app transfer or app list"
	case "plan":
		return "plan set"
	case "package":
		return "package grant"
	case "allowance":
		return "allowance renew"
	}
	return ""
}

// flags returns a flag set with the global flags every command takes.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Errors come back from Parse and become one line; help is printed
	// by whoever asked for it.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.dataDir, "data", c.dataDir,
		"data folder (env AJANS_DATA_DIR, default ./ajans-data)")
	fs.StringVar(&c.databaseURL, "database-url", c.databaseURL,
		"PostgreSQL URL; empty means SQLite in the data folder (env AJANS_DATABASE_URL)")
	return fs
}

// parse parses a command's flags, then reads the configuration: defaults,
// the file (--config or AJANS_CONFIG), the environment, and the flags last.
func (c *cli) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.help(fs)
			return err
		}
		return usageError{cmd: fs.Name(), msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{cmd: fs.Name(), msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	c.cfg = defaultConfig()
	file := c.configFile
	if file == "" {
		file = c.getenv("AJANS_CONFIG")
	}
	if file != "" {
		if err := c.cfg.loadFile(file); err != nil {
			return err
		}
	}
	if err := c.cfg.loadEnv(c.getenv); err != nil {
		return err
	}
	if c.dataDir != "" {
		c.cfg.DataDir = c.dataDir
	}
	if c.databaseURL != "" {
		c.cfg.DatabaseURL = c.databaseURL
	}
	return nil
}

// help prints a command's usage and flags on stdout.
func (c *cli) help(fs *flag.FlagSet) {
	fmt.Fprintf(c.stdout, "usage: ajans %s [flags]\n\nflags:\n", fs.Name())
	fs.SetOutput(c.stdout)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
