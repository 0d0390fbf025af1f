package metrics

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/sluicedb/sluice/internal/progress"
	"github.com/sluicedb/sluice/internal/task"
)

type fakeTasks []task.Live

func (f fakeTasks) Live() []task.Live { return f }

type fakeAlerts struct{}

func (fakeAlerts) Counts() (sent, failed, dropped int64) { return 3, 1, 0 }

// scrape serves reg and parses what a scrape gets.
func scrape(t *testing.T, reg *prometheus.Registry) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// series renders a family's series as "name{label=value,…} value" lines.
func series(f *dto.MetricFamily) []string {
	var out []string
	for _, m := range f.Metric {
		var labels []string
		for _, l := range m.Label {
			labels = append(labels, l.GetName()+"="+l.GetValue())
		}
		v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
		out = append(out, f.GetName()+"{"+strings.Join(labels, ",")+"} "+strconv.FormatFloat(v, 'g', -1, 64))
	}
	slices.Sort(out)
	return out
}

// TestServerMetrics: every task's series carry its task label; a running
// task in its incremental phase shows its phase and lag, a paused one its
// state and counters but no phase or lag; errors by kind; alert deliveries.
func TestServerMetrics(t *testing.T) {
	run := progress.NewTask("shop")
	run.SetPhase("incremental")
	tr := progress.NewTracker()
	tr.Table("shop.items", 10, 1, 1, 10, 100)
	run.SetFull(tr)
	run.Stream.Applied(4, 7, 2500*time.Millisecond, "binlog.000001:4")
	run.Stream.AppliedTable("shop.items", 5)
	run.Stream.AppliedTable("shop.orders", 2)
	run.Retry()
	paused := progress.NewTask("crm")
	paused.SetPhase("incremental")
	paused.Stream.Applied(1, 1, time.Second, "binlog.000001:4")
	tasks := fakeTasks{
		{Name: "shop", State: task.Running, Phase: "incremental", Progress: run},
		{Name: "crm", State: task.Paused, Phase: "incremental", Progress: paused, Errors: map[string]int64{"failed": 2, "verify": 1}},
		{Name: "new", State: task.Created},
	}
	reg := prometheus.NewRegistry()
	if err := RegisterServer(reg, tasks, fakeAlerts{}); err != nil {
		t.Fatal(err)
	}
	fams := scrape(t, reg)
	var got []string
	for _, f := range fams {
		for _, s := range series(f) {
			if strings.HasSuffix(s, " 0") && !strings.Contains(s, "_total") {
				continue // gauges at 0: the phases and states a task is not in
			}
			got = append(got, s)
		}
	}
	slices.Sort(got)
	want := []string{
		"sluice_alert_deliveries_total{result=dropped} 0",
		"sluice_alert_deliveries_total{result=failed} 1",
		"sluice_alert_deliveries_total{result=sent} 3",
		"sluice_cdc_lag_seconds{task=shop} 2.5",
		"sluice_cdc_row_changes_total{task=crm} 1",
		"sluice_cdc_row_changes_total{task=shop} 7",
		"sluice_cdc_table_row_changes_total{table=shop.items,task=shop} 5",
		"sluice_cdc_table_row_changes_total{table=shop.orders,task=shop} 2",
		"sluice_cdc_transactions_total{task=crm} 1",
		"sluice_cdc_transactions_total{task=shop} 4",
		"sluice_full_bytes_total{table=shop.items,task=shop} 100",
		"sluice_full_rows_total{table=shop.items,task=shop} 10",
		"sluice_retries_total{task=crm} 0",
		"sluice_retries_total{task=shop} 1",
		"sluice_task_errors_total{kind=failed,task=crm} 2",
		"sluice_task_errors_total{kind=verify,task=crm} 1",
		"sluice_task_phase{phase=incremental,task=shop} 1",
		"sluice_task_state{state=created,task=new} 1",
		"sluice_task_state{state=paused,task=crm} 1",
		"sluice_task_state{state=running,task=shop} 1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("series:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for name, f := range fams {
		for _, m := range f.Metric {
			if !strings.HasPrefix(name, "sluice_alert_") && !slices.ContainsFunc(m.Label, func(l *dto.LabelPair) bool { return l.GetName() == "task" }) {
				t.Errorf("%s has no task label", name)
			}
		}
	}
}

// TestRunMetrics: sluice run --metrics-listen keeps its names, the phase
// gauge and the lag of its one task.
func TestRunMetrics(t *testing.T) {
	run := progress.NewTask("shop")
	run.SetPhase("full")
	reg := prometheus.NewRegistry()
	if err := Register(reg, run); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range scrape(t, reg) {
		names = append(names, name)
	}
	slices.Sort(names)
	if got, want := strings.Join(names, " "), "sluice_cdc_lag_seconds sluice_cdc_row_changes_total sluice_cdc_transactions_total "+
		"sluice_retries_total sluice_task_phase"; got != want {
		t.Errorf("names %s, want %s", got, want)
	}
}

// TestDashboard: docs/grafana-dashboard.json is JSON and queries only
// metrics that sluice exports.
func TestDashboard(t *testing.T) {
	data, err := os.ReadFile("../../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("docs/grafana-dashboard.json: %v", err)
	}
	known := map[string]bool{}
	descs := make(chan *prometheus.Desc, 20)
	(&ServerCollector{}).Describe(descs)
	close(descs)
	for d := range descs {
		known[regexp.MustCompile(`fqName: "([a-z_]+)"`).FindStringSubmatch(d.String())[1]] = true
	}
	exprs := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs++
			for _, name := range regexp.MustCompile(`sluice_[a-z_]+`).FindAllString(tg.Expr, -1) {
				if !known[name] {
					t.Errorf("panel %q queries %s, which sluice does not export", p.Title, name)
				}
			}
		}
	}
	if exprs < 8 {
		t.Errorf("only %d queries", exprs)
	}
}
