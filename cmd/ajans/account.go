package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/store"
)

// plans returns the configured plans: plans_file, else the plans list of
// the configuration file, else the four default plans.
func (c *Config) plans() ([]ajans.Plan, error) {
	if c.PlansFile != "" {
		return billing.LoadPlans(c.PlansFile)
	}
	return billing.ParsePlans(c.Plans)
}

// checkPlan returns an error unless name is a configured plan.
func (c *Config) checkPlan(name string) error {
	plans, err := c.plans()
	if err != nil {
		return err
	}
	if _, ok := ajans.PlanByName(plans, name); ok {
		return nil
	}
	names := make([]string, len(plans))
	for i, p := range plans {
		names[i] = p.Name
	}
	last := len(names) - 1
	list := names[last]
	if last > 0 {
		list = strings.Join(names[:last], ", ") + " or " + names[last]
	}
	return fmt.Errorf("unknown plan %q: use %s", name, list)
}

// planSet moves a user to another plan and loads what the new plan owes
// this cycle.
func (c *cli) planSet(ctx context.Context, args []string) error {
	fs := c.newFlagSet("plan set")
	email := fs.required("email", "the user's e-mail")
	name := fs.required("plan", "the plan's name")
	check := func() error { return c.cfg.checkPlan(*name) }
	return c.withStore(ctx, args, fs, check, func(db *store.DB) error {
		plans, err := c.cfg.plans()
		if err != nil {
			return err
		}
		u, err := userByEmail(ctx, db, *email)
		if err != nil {
			return err
		}
		if err := db.SetPlan(ctx, u.ID, *name); err != nil {
			return err
		}
		u.Plan = *name
		_, granted, err := billing.Renew(ctx, db, plans, u, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s is on the %s plan; %d credits were loaded\n",
			u.Email, *name, granted)
		return nil
	})
}

// packageGrant adds a package of credits that never expire. The reference
// makes the grant idempotent: the same --ref twice grants once.
func (c *cli) packageGrant(ctx context.Context, args []string) error {
	fs := c.newFlagSet("package grant")
	email := fs.required("email", "the user's e-mail")
	amount := fs.requiredCredits("amount", "credits in the package")
	ref := fs.required("ref", "the purchase's reference, e.g. the payment id")
	note := fs.String("note", "granted from the command line", "a note for the ledger")
	return c.withStore(ctx, args, fs, nil, func(db *store.DB) error {
		u, err := userByEmail(ctx, db, *email)
		if err != nil {
			return err
		}
		balance, granted, err := billing.GrantPackage(ctx, db, u.ID, *amount, *ref, *note)
		if err != nil {
			return err
		}
		if !granted {
			fmt.Fprintf(c.stdout, "the package %s was granted already; nothing changed\n", *ref)
			return nil
		}
		fmt.Fprintf(c.stdout, "granted %d credits to %s; the account holds %d\n",
			*amount, u.Email, balance)
		return nil
	})
}

// allowanceRenew renews, once, every account whose billing cycle has
// ended; `serve` does the same every minute.
func (c *cli) allowanceRenew(ctx context.Context, args []string) error {
	fs := c.newFlagSet("allowance renew")
	return c.withStore(ctx, args, fs, nil, func(db *store.DB) error {
		plans, err := c.cfg.plans()
		if err != nil {
			return err
		}
		n, err := billing.RenewDue(ctx, db, plans, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "renewed %d accounts\n", n)
		return nil
	})
}
