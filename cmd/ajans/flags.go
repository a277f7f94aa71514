package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
)

// flagSet is a command's flags, with the global ones, that knows which of
// them are required.
type flagSet struct {
	*flag.FlagSet
	must []need
}

// need is a required flag and what it wants.
type need struct{ name, usage string }

func (c *cli) newFlagSet(name string) *flagSet {
	return &flagSet{FlagSet: c.flags(name)}
}

// required defines a string flag that must be given.
func (fs *flagSet) required(name, usage string) *string {
	fs.must = append(fs.must, need{name, usage})
	return fs.String(name, "", usage+" (required)")
}

// requiredCredits defines a flag for a positive number of credits that must
// be given.
func (fs *flagSet) requiredCredits(name, usage string) *int64 {
	fs.must = append(fs.must, need{name, usage})
	n := new(int64)
	fs.Var((*credits)(n), name, usage+" (required)")
	return n
}

// check returns a usage error naming the first required flag not given.
func (fs *flagSet) check() error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, n := range fs.must {
		if !given[n.name] {
			return usageError{cmd: fs.Name(), msg: fmt.Sprintf("--%s is required: %s", n.name, n.usage)}
		}
	}
	return nil
}

// credits is a flag value for a whole, positive number of credits.
type credits int64

func (c *credits) String() string {
	if c == nil {
		return "0"
	}
	return strconv.FormatInt(int64(*c), 10)
}

func (c *credits) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return errors.New("want a whole number of credits above 0, such as 5000")
	}
	*c = credits(n)
	return nil
}
