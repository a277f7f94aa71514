package billing

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/ajans/ajans"
)

// PlanConfig is one plan as an operator writes it in YAML:
//
//	plans:
//	  - name: pro
//	    monthly_allowance: 100000
//	    features: [api_access, file_upload, image_generation, document_generation]
//	    rate_per_minute: 60
type PlanConfig struct {
	Name             string   `yaml:"name"`
	MonthlyAllowance int64    `yaml:"monthly_allowance"`
	Features         []string `yaml:"features"`
	RatePerMinute    int      `yaml:"rate_per_minute"`
}

// Features lists every feature a plan may grant.
var Features = []string{ajans.FeatureAPIAccess, ajans.FeatureFileUpload,
	ajans.FeatureImageGeneration, ajans.FeatureDocumentGeneration}

var planName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// ParsePlans checks the configured plans and returns them as domain plans.
// No plans at all means the defaults, ajans.DefaultPlans. A rate of 0 means
// 60 requests a minute.
func ParsePlans(cfgs []PlanConfig) ([]ajans.Plan, error) {
	if len(cfgs) == 0 {
		return ajans.DefaultPlans(), nil
	}
	plans := make([]ajans.Plan, 0, len(cfgs))
	for i, c := range cfgs {
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("plan %d (%q): %w", i+1, c.Name, err)
		}
		if _, dup := ajans.PlanByName(plans, c.Name); dup {
			return nil, fmt.Errorf("plan %q is defined twice", c.Name)
		}
		rate := c.RatePerMinute
		if rate == 0 {
			rate = 60
		}
		plans = append(plans, ajans.Plan{Name: c.Name, MonthlyAllowance: c.MonthlyAllowance,
			Features: slices.Clone(c.Features), RatePerMinute: rate})
	}
	return plans, nil
}

func (c PlanConfig) check() error {
	switch {
	case !planName.MatchString(c.Name):
		return fmt.Errorf("the name must be 1 to 32 lower-case letters, digits, '-' or '_'")
	case c.MonthlyAllowance < 0:
		return fmt.Errorf("monthly_allowance must not be negative")
	case c.RatePerMinute < 0 || c.RatePerMinute > 1_000_000:
		return fmt.Errorf("rate_per_minute must be between 1 and 1,000,000 (0 means 60)")
	}
	for _, f := range c.Features {
		if !slices.Contains(Features, f) {
			return fmt.Errorf("unknown feature %q: use %v", f, Features)
		}
	}
	return nil
}

// LoadPlans reads plans from the YAML file at path, whose top level has a
// `plans:` list of PlanConfig. An empty path means the default plans.
func LoadPlans(path string) ([]ajans.Plan, error) {
	if path == "" {
		return ajans.DefaultPlans(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plans: %w", err)
	}
	var file struct {
		Plans []PlanConfig `yaml:"plans"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("plans file %s: %w", path, err)
	}
	if len(file.Plans) == 0 {
		return nil, fmt.Errorf("plans file %s: no plans under `plans:`", path)
	}
	plans, err := ParsePlans(file.Plans)
	if err != nil {
		return nil, fmt.Errorf("plans file %s: %w", path, err)
	}
	return plans, nil
}
