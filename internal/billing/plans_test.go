package billing_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
)

func TestParsePlans(t *testing.T) {
	tests := []struct {
		name    string
		cfgs    []billing.PlanConfig
		want    []ajans.Plan
		wantErr string
	}{
		{name: "none gives the defaults", want: ajans.DefaultPlans()},
		{name: "rate defaults to 60",
			cfgs: []billing.PlanConfig{{Name: "team", MonthlyAllowance: 5,
				Features: []string{ajans.FeatureAPIAccess}}},
			want: []ajans.Plan{{Name: "team", MonthlyAllowance: 5,
				Features: []string{ajans.FeatureAPIAccess}, RatePerMinute: 60}}},
		{name: "bad name", cfgs: []billing.PlanConfig{{Name: "Pro Plan"}}, wantErr: "name"},
		{name: "negative allowance", cfgs: []billing.PlanConfig{{Name: "x", MonthlyAllowance: -1}},
			wantErr: "monthly_allowance"},
		{name: "unknown feature",
			cfgs:    []billing.PlanConfig{{Name: "x", Features: []string{"fly"}}},
			wantErr: "unknown feature"},
		{name: "twice", cfgs: []billing.PlanConfig{{Name: "x"}, {Name: "x"}}, wantErr: "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := billing.ParsePlans(tt.cfgs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Fatalf("plans (-want +got):\n%s", d)
			}
		})
	}
}

func TestLoadPlans(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.yaml", `
plans:
  - name: hobby
    monthly_allowance: 1000
    features: [api_access]
    rate_per_minute: 10
`)
	plans, err := billing.LoadPlans(good)
	if err != nil || len(plans) != 1 || plans[0].RatePerMinute != 10 ||
		!plans[0].Has(ajans.FeatureAPIAccess) {
		t.Fatalf("LoadPlans = %+v, %v", plans, err)
	}
	if plans, err := billing.LoadPlans(""); err != nil || len(plans) != 4 {
		t.Fatalf("default plans = %+v, %v", plans, err)
	}
	for name, text := range map[string]string{
		"typo.yaml":  "plans:\n  - name: x\n    allowance: 5\n",
		"empty.yaml": "plans: []\n",
	} {
		if _, err := billing.LoadPlans(write(name, text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := billing.LoadPlans(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}
