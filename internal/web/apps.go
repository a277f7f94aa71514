package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
)

// appsData is the data of the API applications page.
type appsData struct {
	Apps        []*ajans.App
	MinTransfer int64
	NewToken    string // shown once, right after a create or a rotation
	NewTokenFor string // the app's name
	Name        string // the create form's name, kept after an error
	APIAccess   bool   // whether the user's plan reaches the API
}

func (s *Server) appsPage(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	s.renderApps(w, r, u, http.StatusOK, appsData{}, "")
}

func (s *Server) renderApps(w http.ResponseWriter, r *http.Request, u *ajans.User, status int,
	d appsData, errText string) {
	apps, err := s.DB.AppsByUser(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Apps, d.MinTransfer = apps, billing.MinTransfer
	plan, _ := ajans.PlanByName(s.Plans, u.Plan)
	d.APIAccess = plan.Has(ajans.FeatureAPIAccess)
	l := s.locale(r)
	s.render(w, r, status, "apps", &page{L: l, User: u, Title: l.T("apps.title"), Nav: "apps",
		Error: errText, Data: d})
}

// maxApps is how many apps one user may have.
const maxApps = 50

func (s *Server) createApp(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || utf8.RuneCountInString(name) > 80 || !utf8.ValidString(name) {
		s.renderApps(w, r, u, http.StatusBadRequest, appsData{Name: name}, l.T("err.app_name"))
		return
	}
	apps, err := s.DB.AppsByUser(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(apps) >= maxApps {
		s.renderApps(w, r, u, http.StatusBadRequest, appsData{Name: name},
			l.T("err.app_limit", maxApps))
		return
	}
	token, err := ajans.NewToken(s.Rand)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	app, err := s.DB.CreateApp(r.Context(), u.ID, name, ajans.HashToken(token),
		ajans.ShowToken(token))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The token is shown on this answer alone; it is not kept anywhere.
	s.renderToken(w, r, u, app.Name, token, l.T("flash.app_created", app.Name))
}

func (s *Server) renderToken(w http.ResponseWriter, r *http.Request, u *ajans.User, name, token,
	msg string) {
	apps, err := s.DB.AppsByUser(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	plan, _ := ajans.PlanByName(s.Plans, u.Plan)
	l := s.locale(r)
	s.render(w, r, http.StatusOK, "apps", &page{L: l, User: u, Title: l.T("apps.title"),
		Nav: "apps", Flash: &flash{OK: true, Text: msg}, Data: appsData{Apps: apps,
			MinTransfer: billing.MinTransfer, NewToken: token, NewTokenFor: name,
			APIAccess: plan.Has(ajans.FeatureAPIAccess)}})
}

// appOf returns the user's app named by the path's id; a bad id or another
// user's app sends the user back with a message.
func (s *Server) appOf(w http.ResponseWriter, r *http.Request, u *ajans.User) (*ajans.App, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var app *ajans.App
	if err == nil {
		app, err = s.DB.AppOfUser(r.Context(), u.ID, id)
	}
	switch {
	case err == nil:
		return app, true
	case ajans.ErrorCode(err) == ajans.ENOTFOUND || id <= 0:
		s.redirect(w, r, "/apps", false, "err.no_app")
	default:
		s.fail(w, r, err)
	}
	return nil, false
}

func (s *Server) transfer(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	app, ok := s.appOf(w, r, u)
	if !ok {
		return
	}
	amount, ok := parseAmount(r.PostFormValue("amount"))
	if !ok {
		s.redirect(w, r, "/apps", false, "err.amount")
		return
	}
	if billing.CheckTransfer(amount) != nil {
		s.redirect(w, r, "/apps", false, "err.transfer_min", l.Num(billing.MinTransfer),
			l.Num(amount))
		return
	}
	_, appBalance, err := s.DB.Transfer(r.Context(), u.ID, app.ID, amount)
	switch ajans.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/apps", true, "flash.transferred", l.Num(amount), app.Name,
			l.Num(appBalance))
	case ajans.ECREDIT:
		s.redirect(w, r, "/apps", false, "err.transfer_credit", l.Num(amount), l.Num(u.Balance))
	case ajans.ENOTFOUND:
		s.redirect(w, r, "/apps", false, "err.no_app")
	default:
		s.fail(w, r, err)
	}
}

var grouped = regexp.MustCompile(`^[0-9]{1,3}([.,' ][0-9]{3})+$`)

// parseAmount reads a whole, positive number of credits, written plainly
// or with thousands grouped by '.', ',', ' ' or '\” (1.000 or 1,000).
func parseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if grouped.MatchString(s) {
		s = strings.NewReplacer(".", "", ",", "", " ", "", "'", "").Replace(s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > 1_000_000_000_000 {
		return 0, false
	}
	return n, true
}

func (s *Server) rotateApp(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	app, ok := s.appOf(w, r, u)
	if !ok {
		return
	}
	token, err := ajans.NewToken(s.Rand)
	if err == nil {
		err = s.DB.RotateAppToken(r.Context(), u.ID, app.ID, ajans.HashToken(token),
			ajans.ShowToken(token))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderToken(w, r, u, app.Name, token, l.T("flash.rotated", app.Name))
}

func (s *Server) deleteApp(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	l := s.locale(r)
	app, ok := s.appOf(w, r, u)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.redirect(w, r, "/apps", false, "err.delete_confirm", app.Name)
		return
	}
	refunded, err := s.DB.DeleteApp(r.Context(), u.ID, app.ID)
	switch ajans.ErrorCode(err) {
	case "":
		s.redirect(w, r, "/apps", true, "flash.deleted", app.Name, l.Num(refunded))
	case ajans.ENOTFOUND:
		s.redirect(w, r, "/apps", false, "err.no_app")
	default:
		s.fail(w, r, err)
	}
}
