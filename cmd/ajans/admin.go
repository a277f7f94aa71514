package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"golang.org/x/crypto/bcrypt"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/store"
)

// openStore opens the configured database and brings its schema up to date.
func (c *cli) openStore(ctx context.Context) (*store.DB, error) {
	db, err := store.Open(c.cfg.DatabaseURL, c.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// withStore parses the flags, opens the database and runs fn with it.
func (c *cli) withStore(ctx context.Context, args []string, fs *flagSet, fn func(*store.DB) error) error {
	if err := c.parse(fs.FlagSet, args); err != nil {
		return err
	}
	if err := fs.check(); err != nil {
		return err
	}
	db, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

func (c *cli) migrate(ctx context.Context, args []string) error {
	fs := c.newFlagSet("migrate")
	return c.withStore(ctx, args, fs, func(db *store.DB) error {
		fmt.Fprintln(c.stdout, "database schema is up to date")
		return nil
	})
}

func (c *cli) userCreate(ctx context.Context, args []string) error {
	fs := c.newFlagSet("user create")
	email := fs.required("email", "the user's e-mail")
	plan := fs.required("plan", "free, starter, pro or business")
	password := fs.String("password", "", "a password for the dashboard (optional)")
	admin := fs.Bool("admin", false, "make the user an administrator")
	return c.withStore(ctx, args, fs, func(db *store.DB) error {
		if _, ok := ajans.PlanByName(ajans.DefaultPlans(), *plan); !ok {
			return fmt.Errorf("unknown plan %q: use free, starter, pro or business", *plan)
		}
		if !strings.Contains(*email, "@") {
			return fmt.Errorf("%q is not an e-mail address", *email)
		}
		u := &ajans.User{Email: *email, Plan: *plan, IsAdmin: *admin}
		if *password != "" {
			hash, err := bcrypt.GenerateFromPassword([]byte(*password), bcrypt.DefaultCost)
			if err != nil {
				return fmt.Errorf("hash password: %w", err)
			}
			u.PasswordHash = string(hash)
		}
		if err := db.CreateUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "created user %d %s on the %s plan\n", u.ID, u.Email, u.Plan)
		return nil
	})
}

func (c *cli) creditGrant(ctx context.Context, args []string) error {
	fs := c.newFlagSet("credit grant")
	email := fs.required("email", "the user's e-mail")
	amount := fs.requiredInt("amount", "credits to add to the account")
	reason := fs.String("reason", "granted from the command line", "a note for the ledger")
	return c.withStore(ctx, args, fs, func(db *store.DB) error {
		u, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with the e-mail %s", *email)
		}
		balance, _, err := db.GrantUser(ctx, u.ID, *amount, store.KindGrant, *reason, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "granted %d credits to %s; the account holds %d\n", *amount, u.Email, balance)
		return nil
	})
}

func (c *cli) appCreate(ctx context.Context, args []string) error {
	fs := c.newFlagSet("app create")
	email := fs.required("email", "the owner's e-mail")
	name := fs.required("name", "the app's name")
	return c.withStore(ctx, args, fs, func(db *store.DB) error {
		u, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with the e-mail %s", *email)
		}
		token := ajans.MustNewToken()
		app, err := db.CreateApp(ctx, u.ID, *name, ajans.HashToken(token), ajans.ShowToken(token))
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "created app %d %q for %s; its token is shown only now:\n",
			app.ID, app.Name, u.Email)
		fmt.Fprintln(c.stdout, token)
		return nil
	})
}

func (c *cli) appTransfer(ctx context.Context, args []string) error {
	fs := c.newFlagSet("app transfer")
	token := fs.required("token", "the app's token")
	amount := fs.requiredInt("amount", fmt.Sprintf("credits to move (at least %d)", billing.MinTransfer))
	return c.withStore(ctx, args, fs, func(db *store.DB) error {
		if err := billing.CheckTransfer(*amount); err != nil {
			return err
		}
		app, err := db.AppByTokenHash(ctx, ajans.HashToken(*token))
		if err != nil {
			return fmt.Errorf("no app has this token")
		}
		userBalance, appBalance, err := db.Transfer(ctx, app.UserID, app.ID, *amount)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "moved %d credits to app %q: the app holds %d, the account %d\n",
			*amount, app.Name, appBalance, userBalance)
		return nil
	})
}

func (c *cli) appList(ctx context.Context, args []string) error {
	fs := c.newFlagSet("app list")
	email := fs.required("email", "the owner's e-mail")
	return c.withStore(ctx, args, fs, func(db *store.DB) error {
		u, err := db.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no user with the e-mail %s", *email)
		}
		apps, err := db.AppsByUser(ctx, u.ID)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tTOKEN\tBALANCE\tCREATED\tLAST USED")
		for _, a := range apps {
			used := "never"
			if !a.LastUsedAt.IsZero() {
				used = a.LastUsedAt.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\t%s\n", a.ID, a.Name, a.TokenPrefix, a.Balance,
				a.CreatedAt.Format("2006-01-02 15:04"), used)
		}
		return w.Flush()
	})
}
