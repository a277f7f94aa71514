package web

import (
	"net/http"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/billing"
)

// overview is the data of the overview page.
type overview struct {
	Plan          ajans.Plan
	Cycle         billing.Cycle
	Spent         int64 // by the apps' calls this cycle
	Apps          int
	AppsBalance   int64
	PackageCredit int64
}

// home is the overview for a logged-in user and a welcome with the plans
// for anyone else.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u, _ := s.sessionUser(r)
	l := s.locale(r)
	if u == nil {
		s.render(w, r, http.StatusOK, "welcome", &page{L: l, Title: l.T("welcome.title"),
			Data: s.Plans})
		return
	}
	ctx := r.Context()
	o := overview{PackageCredit: u.PackageCredit()}
	o.Plan, _ = ajans.PlanByName(s.Plans, u.Plan)
	o.Cycle = billing.Cycle{Start: u.CycleStart, End: u.CycleEnd}
	if u.CycleEnd.IsZero() {
		o.Cycle = billing.CycleAt(u.CreatedAt, s.Now())
	}
	apps, err := s.DB.AppsByUser(ctx, u.ID)
	if err == nil {
		o.Spent, err = s.DB.CreditsSpent(ctx, u.ID, o.Cycle.Start)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o.Apps = len(apps)
	for _, a := range apps {
		o.AppsBalance += a.Balance
	}
	s.render(w, r, http.StatusOK, "overview", &page{L: l, User: u, Title: l.T("overview.title"),
		Nav: "overview", Data: o})
}
