package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

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

// withStore parses the flags, runs the checks that need no database, opens
// the database and runs fn with it.
func (c *cli) withStore(ctx context.Context, args []string, fs *flagSet, check func() error,
	fn func(*store.DB) error) error {
	if err := c.parse(fs.FlagSet, args); err != nil {
		return err
	}
	if err := fs.check(); err != nil {
		return err
	}
	if check != nil {
		if err := check(); err != nil {
			return usageError{cmd: fs.Name(), msg: err.Error()}
		}
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
	return c.withStore(ctx, args, fs, nil, func(db *store.DB) error {
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
	check := func() error {
		if err := c.cfg.checkPlan(*plan); err != nil {
			return err
		}
		if !strings.Contains(*email, "@") {
			return fmt.Errorf("%q is not an e-mail address", *email)
		}
		return nil
	}
	return c.withStore(ctx, args, fs, check, func(db *store.DB) error {
		u := &ajans.User{Email: *email, Plan: *plan, IsAdmin: *admin}
		if *password != "" {
			hash, err := bcrypt.GenerateFromPassword([]byte(*password), bcrypt.DefaultCost)
			if err != nil {
				return fmt.Errorf("hash password: %w", err)
			}
			u.PasswordHash = string(hash)
		}
		err := db.CreateUser(ctx, u)
		if ajans.ErrorCode(err) == ajans.ECONFLICT {
			return fmt.Errorf("a user with the e-mail %s exists already: "+
				"pick another e-mail, or keep using that user", u.Email)
		}
		if err != nil {
			return err
		}
		plans, err := c.cfg.plans()
		if err != nil {
			return err
		}
		if _, _, err := billing.Renew(ctx, db, plans, u, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "created user %d %s on the %s plan\n", u.ID, u.Email, u.Plan)
		return nil
	})
}

func (c *cli) creditGrant(ctx context.Context, args []string) error {
	fs := c.newFlagSet("credit grant")
	email := fs.required("email", "the user's e-mail")
	amount := fs.requiredCredits("amount", "credits to add to the account")
	reason := fs.String("reason", "granted from the command line", "a note for the ledger")
	return c.withStore(ctx, args, fs, nil, func(db *store.DB) error {
		u, err := userByEmail(ctx, db, *email)
		if err != nil {
			return err
		}
		balance, _, err := db.GrantUser(ctx, u.ID, *amount, store.KindGrant, *reason, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "granted %d credits to %s; the account holds %d\n",
			*amount, u.Email, balance)
		return nil
	})
}

func (c *cli) appCreate(ctx context.Context, args []string) error {
	fs := c.newFlagSet("app create")
	email := fs.required("email", "the owner's e-mail")
	name := fs.required("name", "the app's name")
	check := func() error {
		if strings.TrimSpace(*name) == "" {
			return fmt.Errorf("the app needs a name that is not blank")
		}
		return nil
	}
	return c.withStore(ctx, args, fs, check, func(db *store.DB) error {
		u, err := userByEmail(ctx, db, *email)
		if err != nil {
			return err
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
	amount := fs.requiredCredits("amount",
		fmt.Sprintf("credits to move (at least %d)", billing.MinTransfer))
	check := func() error {
		if !ajans.ValidTokenShape(*token) {
			return fmt.Errorf("that is not an app token: use the token ajans app create printed")
		}
		if err := billing.CheckTransfer(*amount); err != nil {
			return errors.New(strings.TrimSuffix(ajans.ErrorMessage(err), "."))
		}
		return nil
	}
	return c.withStore(ctx, args, fs, check, func(db *store.DB) error {
		app, err := db.AppByTokenHash(ctx, ajans.HashToken(*token))
		if ajans.ErrorCode(err) == ajans.ENOTFOUND {
			return fmt.Errorf("no app has this token: check it, or make an app with ajans app create")
		}
		if err != nil {
			return err
		}
		userBalance, appBalance, err := db.Transfer(ctx, app.UserID, app.ID, *amount)
		if ajans.ErrorCode(err) == ajans.ECREDIT {
			return c.tooFew(ctx, db, app.UserID, *amount)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "moved %d credits to app %q: the app holds %d, the account %d\n",
			*amount, app.Name, appBalance, userBalance)
		return nil
	})
}

// tooFew is the error for a transfer larger than the account holds.
func (c *cli) tooFew(ctx context.Context, db *store.DB, userID, amount int64) error {
	u, err := db.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	return fmt.Errorf("the account of %s holds %d credits, fewer than %d: "+
		"add credits with ajans credit grant, or transfer less", u.Email, u.Balance, amount)
}

func (c *cli) appList(ctx context.Context, args []string) error {
	fs := c.newFlagSet("app list")
	email := fs.required("email", "the owner's e-mail")
	return c.withStore(ctx, args, fs, nil, func(db *store.DB) error {
		u, err := userByEmail(ctx, db, *email)
		if err != nil {
			return err
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

// userByEmail returns the user with the e-mail, or an error that says how
// to make one.
func userByEmail(ctx context.Context, db *store.DB, email string) (*ajans.User, error) {
	u, err := db.UserByEmail(ctx, email)
	if ajans.ErrorCode(err) == ajans.ENOTFOUND {
		return nil, fmt.Errorf("no user has the e-mail %s: create one with "+
			"ajans user create --email %s --plan pro", email, email)
	}
	return u, err
}
