package web

import (
	"time"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
)

// chart is a stacked bar chart of credits per day per app, drawn as inline
// SVG by the usage template. Coordinates are in the SVG's own units.
type chart struct {
	W, H   int
	Bars   []bar
	Grid   []mark // horizontal lines with their values
	Days   []mark // day labels under the bars
	Legend []legendItem
	Total  int64
}

type bar struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

type mark struct {
	X, Y  float64
	Label string
}

type legendItem struct {
	Class, Name string
}

// Chart geometry.
const (
	chartW, chartH             = 720, 240
	padLeft, padBottom         = 64, 28
	padTop, padRight           = 12, 8
	chartColors                = 8
	chartDays                  = 30
	plotW, plotH               = chartW - padLeft - padRight, chartH - padTop - padBottom
	barShare           float64 = 0.7
)

// newChart lays out the credits of apps over the chartDays days up to
// today (UTC).
func newChart(l *Locale, apps []*ajans.App, days []store.DayCredits, today time.Time) chart {
	c := chart{W: chartW, H: chartH}
	first := today.UTC().Truncate(24*time.Hour).AddDate(0, 0, -(chartDays - 1))
	color := make(map[int64]string)
	names := make(map[int64]string)
	for i, a := range apps {
		color[a.ID] = "c" + string(rune('0'+i%chartColors))
		names[a.ID] = a.Name
	}
	perDay := make([]int64, chartDays)
	for _, d := range days {
		if i := int(d.Day.Sub(first) / (24 * time.Hour)); i >= 0 && i < chartDays {
			perDay[i] += d.Credits
			c.Total += d.Credits
		}
	}
	top := 4 * niceStep(ceilDiv(maxOf(perDay), 4))
	slot := float64(plotW) / chartDays
	scale := float64(plotH) / float64(top)

	stacked := make([]int64, chartDays)
	for _, d := range days {
		i := int(d.Day.Sub(first) / (24 * time.Hour))
		if i < 0 || i >= chartDays || d.Credits == 0 {
			continue
		}
		h := float64(d.Credits) * scale
		y := float64(padTop+plotH) - float64(stacked[i])*scale - h
		stacked[i] += d.Credits
		c.Bars = append(c.Bars, bar{X: padLeft + float64(i)*slot + slot*(1-barShare)/2, Y: y,
			W: slot * barShare, H: h, Class: color[d.AppID],
			Title: l.T("usage.bar", l.Date(d.Day), names[d.AppID], l.Num(d.Credits))})
	}
	for k := 0; k <= 4; k++ {
		v := top * int64(k) / 4
		c.Grid = append(c.Grid, mark{Y: float64(padTop+plotH) - float64(v)*scale, Label: l.Num(v)})
	}
	for i := 0; i < chartDays; i += 5 {
		day := first.AddDate(0, 0, i)
		c.Days = append(c.Days, mark{X: padLeft + float64(i)*slot + slot/2,
			Y: chartH - 8, Label: day.Format("02.01")})
	}
	for _, a := range apps {
		c.Legend = append(c.Legend, legendItem{Class: color[a.ID], Name: a.Name})
	}
	return c
}

func maxOf(xs []int64) int64 {
	var m int64
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// niceStep returns the smallest of 1, 2, 5, 10, 20, 50, … that is at
// least n: the distance between two grid lines.
func niceStep(n int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, f := range []int64{1, 2, 5} {
			if v := f * p; v >= n {
				return v
			}
		}
	}
}
