package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
	"github.com/ajans/ajans/internal/store"
)

const usersPerPage = 50

// adminUsersData is the data of the admin users list.
type adminUsersData struct {
	Users              []*ajans.User
	Search             string
	Page, Prev, Next   int
	SearchArg, PageArg string
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	d := adminUsersData{Search: strings.TrimSpace(r.URL.Query().Get("q")), Page: 1}
	if p, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && p > 1 && p < 1_000_000 {
		d.Page = p
	}
	users, err := s.DB.Users(r.Context(), d.Search, (d.Page-1)*usersPerPage, usersPerPage+1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(users) > usersPerPage {
		users, d.Next = users[:usersPerPage], d.Page+1
	}
	if d.Page > 1 {
		d.Prev = d.Page - 1
	}
	d.Users = users
	s.render(w, r, http.StatusOK, "admin_users", &page{L: l, User: u, Title: l.T("admin.users"),
		Nav: "admin", Data: d})
}

// adminUserData is the data of one user's admin page.
type adminUserData struct {
	Account  *ajans.User
	Plans    []ajans.Plan
	Packages []billing.Package
	Ledger   []store.LedgerEntry
	GrantRef string // a fresh key, so a form sent twice grants once
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	s.renderAdminUser(w, r, u, http.StatusOK, "")
}

func (s *Server) renderAdminUser(w http.ResponseWriter, r *http.Request, u *ajans.User,
	status int, errText string) {
	ctx, l := r.Context(), s.locale(r)
	account, ok := s.account(w, r)
	if !ok {
		return
	}
	ledger, err := s.DB.UserLedger(ctx, account.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref, err := s.newSecret()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_user", &page{L: l, User: u, Title: account.Email, Nav: "admin",
		Error: errText, Data: adminUserData{Account: account, Plans: s.Plans,
			Packages: billing.DefaultPackages(), Ledger: ledger, GrantRef: "admin-" + ref[:22]}})
}

// account returns the user named by the path's id, or answers 404.
func (s *Server) account(w http.ResponseWriter, r *http.Request) (*ajans.User, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var account *ajans.User
	if err == nil {
		account, err = s.DB.UserByID(r.Context(), id)
	}
	if err != nil {
		if id <= 0 {
			err = ajans.Errorf(ajans.ENOTFOUND, "no such user")
		}
		s.fail(w, r, err)
		return nil, false
	}
	return account, true
}

func (s *Server) adminSetPlan(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	ctx := r.Context()
	account, ok := s.account(w, r)
	if !ok {
		return
	}
	to := "/admin/users/" + r.PathValue("id")
	name := r.PostFormValue("plan")
	if _, ok := ajans.PlanByName(s.Plans, name); !ok {
		s.redirect(w, r, to, false, "err.plan")
		return
	}
	if err := s.DB.SetPlan(ctx, account.ID, name); err != nil {
		s.fail(w, r, err)
		return
	}
	account.Plan = name
	_, granted, err := billing.Renew(ctx, s.DB, s.Plans, account, s.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := s.locale(r)
	s.redirect(w, r, to, true, "flash.plan_changed", name, l.Num(granted))
}

func (s *Server) adminGrant(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	account, ok := s.account(w, r)
	if !ok {
		return
	}
	l := s.locale(r)
	to := "/admin/users/" + r.PathValue("id")
	amount, ok := parseAmount(r.PostFormValue("amount"))
	if !ok || amount > billing.MaxPackage {
		s.redirect(w, r, to, false, "err.package_amount", l.Num(billing.MaxPackage))
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if len(note) > 200 {
		note = note[:200]
	}
	note = strings.TrimSpace("granted by " + u.Email + ". " + note)
	_, granted, err := billing.GrantPackage(r.Context(), s.DB, account.ID, amount,
		r.PostFormValue("ref"), note)
	switch {
	case ajans.ErrorCode(err) == ajans.EINVALID:
		s.redirect(w, r, to, false, "err.package_ref")
	case err != nil:
		s.fail(w, r, err)
	case !granted:
		s.redirect(w, r, to, false, "flash.package_again")
	default:
		s.redirect(w, r, to, true, "flash.package_granted", l.Num(amount), account.Email)
	}
}

// assistantRow is one assistant on the admin page, names sorted by language.
type assistantRow struct {
	ajans.Assistant
	Names []langText
}

type langText struct{ Lang, Text string }

// TODO(ajans): edit assistants from the dashboard; they come from the catalogue
// file (assistants_file) for now, so this page only shows them.
func (s *Server) adminAssistants(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	var rows []assistantRow
	for _, a := range s.Assistants {
		row := assistantRow{Assistant: a}
		for lang, name := range a.Names {
			row.Names = append(row.Names, langText{lang, name})
		}
		slices.SortFunc(row.Names, func(a, b langText) int {
			return strings.Compare(a.Lang, b.Lang)
		})
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b assistantRow) int { return cmp.Compare(a.ID, b.ID) })
	s.render(w, r, http.StatusOK, "admin_assistants", &page{L: l, User: u,
		Title: l.T("admin.assistants"), Nav: "admin", Data: rows})
}

func (s *Server) adminProviders(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	s.render(w, r, http.StatusOK, "admin_providers", &page{L: l, User: u,
		Title: l.T("admin.providers"), Nav: "admin", Data: s.checkProviders(r.Context())})
}
