package main

import (
	"flag"
	"fmt"
)

// flagSet is a command's flags, with the global ones, that knows which of
// them are required.
type flagSet struct {
	*flag.FlagSet
	must []string
}

func (c *cli) newFlagSet(name string) *flagSet {
	return &flagSet{FlagSet: c.flags(name)}
}

// required defines a string flag that must be given.
func (fs *flagSet) required(name, usage string) *string {
	fs.must = append(fs.must, name)
	return fs.String(name, "", usage+" (required)")
}

// requiredInt defines a whole-number flag that must be given.
func (fs *flagSet) requiredInt(name, usage string) *int64 {
	fs.must = append(fs.must, name)
	return fs.Int64(name, 0, usage+" (required)")
}

// check returns a usage error naming the first required flag not given.
func (fs *flagSet) check() error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range fs.must {
		if !given[name] {
			return usageError{fmt.Sprintf("%s: --%s is required", fs.Name(), name)}
		}
	}
	return nil
}
