package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ajans/ajans"
)

// callsPerPage is the length of a page of calls; csvMaxRows caps an export.
const (
	callsPerPage = 50
	csvMaxRows   = 100_000
)

// usageData is the data of the usage page.
type usageData struct {
	Apps      []*ajans.App
	AppID     int64 // the filter; 0 for all apps
	Chart     chart
	Calls     []callRow
	Page      int
	PrevPage  int // 0 when there is none
	NextPage  int
	FilterArg string // "app=ID&" or ""
}

// callRow is one call as the page shows it.
type callRow struct {
	ajans.Call
	App       string
	Assistant string
}

// usageFilter reads the app filter; another user's app is not found.
func (s *Server) usageFilter(r *http.Request, apps []*ajans.App) (int64, bool) {
	v := r.URL.Query().Get("app")
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	for _, a := range apps {
		if a.ID == id {
			return id, true
		}
	}
	return 0, false
}

func (s *Server) usagePage(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	ctx, l := r.Context(), s.locale(r)
	apps, err := s.DB.AppsByUser(ctx, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := usageData{Apps: apps, Page: 1}
	status, errText := http.StatusOK, ""
	var ok bool
	if d.AppID, ok = s.usageFilter(r, apps); !ok {
		status, errText = http.StatusNotFound, l.T("err.no_app")
	}
	if p, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && p > 1 && p < 1_000_000 {
		d.Page = p
	}
	if d.AppID != 0 {
		d.FilterArg = "app=" + strconv.FormatInt(d.AppID, 10) + "&"
	}
	now := s.Now()
	since := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -chartDays)
	days, err := s.DB.DailyCredits(ctx, u.ID, since)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Chart = newChart(l, apps, days, now)
	calls, more, err := s.DB.UserCalls(ctx, u.ID, d.AppID, (d.Page-1)*callsPerPage, callsPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Calls = s.callRows(l, apps, calls)
	if d.Page > 1 {
		d.PrevPage = d.Page - 1
	}
	if more {
		d.NextPage = d.Page + 1
	}
	s.render(w, r, status, "usage", &page{L: l, User: u, Title: l.T("usage.title"), Nav: "usage",
		Error: errText, Data: d})
}

func (s *Server) callRows(l *Locale, apps []*ajans.App, calls []ajans.Call) []callRow {
	names := make(map[int64]string, len(apps))
	for _, a := range apps {
		names[a.ID] = a.Name
	}
	rows := make([]callRow, len(calls))
	for i, c := range calls {
		rows[i] = callRow{Call: c, App: names[c.AppID],
			Assistant: s.assistantName(l, c.AssistantID)}
	}
	return rows
}

// assistantName names an assistant in the locale's language.
func (s *Server) assistantName(l *Locale, id int64) string {
	a, ok := s.byID[id]
	if !ok {
		return "#" + strconv.FormatInt(id, 10)
	}
	for _, lang := range []string{l.Lang, "en", "tr"} {
		if n := a.Names[lang]; n != "" {
			return n
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

// usageCSV exports the calls, newest first, as a CSV file.
func (s *Server) usageCSV(w http.ResponseWriter, r *http.Request, u *ajans.User) {
	ctx := r.Context()
	apps, err := s.DB.AppsByUser(ctx, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	appID, ok := s.usageFilter(r, apps)
	if !ok {
		s.redirect(w, r, "/usage", false, "err.no_app")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ajans-usage-`+
		s.Now().UTC().Format("20060102")+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "app_id", "app", "chat_id", "assistant_id", "assistant", "model",
		"message_tokens", "response_tokens", "credits"})
	l := s.locales["en"]
	// TODO(ajans): an export stops at csvMaxRows calls; page by date for more.
	for offset := 0; offset < csvMaxRows; offset += 1000 {
		calls, more, err := s.DB.UserCalls(ctx, u.ID, appID, offset, 1000)
		if err != nil {
			s.log.Error("export usage", "err", err) // the header is out; the file ends here
			break
		}
		for _, c := range s.callRows(l, apps, calls) {
			cw.Write([]string{c.CreatedAt.UTC().Format(time.RFC3339), itoa(c.AppID), cell(c.App),
				itoa(c.ChatID), itoa(c.AssistantID), cell(c.Assistant), cell(c.Model),
				strconv.Itoa(c.MessageTokens), strconv.Itoa(c.ResponseTokens), itoa(c.Credits)})
		}
		if !more {
			break
		}
	}
	cw.Flush()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// cell keeps a spreadsheet from reading a user's text as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
