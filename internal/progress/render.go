package progress

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Show renders progress until ctx ends: bars when out is a terminal, else a
// plain line per table every interval. It returns when ctx is done and the
// last frame is drawn.
func Show(ctx context.Context, tr *Tracker, out *os.File, interval time.Duration) {
	if isatty.IsTerminal(out.Fd()) {
		showBars(ctx, tr, out)
		return
	}
	showLines(ctx, tr, out, interval)
}

func showLines(ctx context.Context, tr *Tracker, out io.Writer, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last := map[*Table]int64{}
	lastAt := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			secs := now.Sub(lastAt).Seconds()
			lastAt = now
			for _, t := range tr.Tables() {
				rows := t.Rows()
				if t.Done() && last[t] == rows {
					continue
				}
				rate := float64(rows-last[t]) / secs
				last[t] = rows
				state := "copying"
				if t.Done() {
					state = "done"
				}
				fmt.Fprintf(out, "progress table=%s state=%s rows=%d est=%d pct=%s rows_per_s=%.0f eta=%s\n",
					t.Name, state, rows, t.Estimate, pct(rows, t.Estimate, t.Done()), rate, eta(rows, t.Estimate, rate, t.Done()))
			}
		}
	}
}

func pct(rows, est int64, done bool) string {
	switch {
	case done:
		return "100%"
	case est <= 0:
		return "?"
	}
	p := 100 * float64(rows) / float64(est)
	if p > 99 {
		p = 99
	}
	return fmt.Sprintf("%.0f%%", p)
}

func eta(rows, est int64, rate float64, done bool) string {
	if done {
		return "0s"
	}
	if rate <= 0 || est <= rows {
		return "?"
	}
	return (time.Duration(float64(est-rows)/rate) * time.Second).Round(time.Second).String()
}

func showBars(ctx context.Context, tr *Tracker, out io.Writer) {
	p := mpb.New(mpb.WithOutput(out), mpb.WithRefreshRate(200*time.Millisecond), mpb.WithWidth(40))
	bars := map[*Table]*mpb.Bar{}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	update := func() {
		for _, t := range tr.Tables() {
			b := bars[t]
			if b == nil {
				total := t.Estimate
				if total < 1 {
					total = 1
				}
				b = p.New(total, mpb.BarStyle(),
					mpb.PrependDecorators(decor.Name(t.Name, decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d", decor.WCSyncSpace)),
					mpb.AppendDecorators(decor.EwmaSpeed(0, "%.0f rows/s", 30, decor.WCSyncSpace),
						decor.OnComplete(decor.EwmaETA(decor.ET_STYLE_GO, 30, decor.WCSyncSpace), "done")))
				bars[t] = b
			}
			rows := t.Rows()
			if t.Done() {
				b.SetCurrent(rows)
				b.SetTotal(rows, true)
				continue
			}
			if rows >= t.Estimate {
				b.SetTotal(rows+1, false)
			}
			b.EwmaSetCurrent(rows, 200*time.Millisecond)
		}
	}
	for {
		select {
		case <-ctx.Done():
			update()
			for _, b := range bars {
				if !b.Completed() {
					b.Abort(false)
				}
			}
			p.Wait()
			return
		case <-tick.C:
			update()
		}
	}
}

// Summary prints the final line of a full load.
func Summary(out io.Writer, tr *Tracker, tables int) {
	rows, bytes := tr.Totals()
	d := time.Since(tr.Start)
	fmt.Fprintf(out, "full load done: %d tables, %d rows, %s, %s, %.0f rows/s\n",
		tables, rows, humanBytes(bytes), d.Round(10*time.Millisecond), float64(rows)/d.Seconds())
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
