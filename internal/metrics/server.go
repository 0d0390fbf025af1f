package metrics

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicedb/sluice/internal/task"
)

// Tasks are the tasks of a server, read at each scrape: a *task.Manager.
type Tasks interface {
	Live() []task.Live
}

// Alerts count alert deliveries: an *alert.Webhooks.
type Alerts interface {
	Counts() (sent, failed, dropped int64)
}

// ServerCollector exports every task of sluice server: the metrics of
// sluice run for each (its run's counters start at zero with each start or
// resume, which Prometheus' rate() takes as a counter reset), plus its
// state and errors, and the alert deliveries.
type ServerCollector struct {
	tasks  Tasks
	alerts Alerts
}

// RegisterServer adds the metrics of a server's tasks (and alerts, unless
// nil) to reg.
func RegisterServer(reg prometheus.Registerer, tasks Tasks, alerts Alerts) error {
	return reg.Register(&ServerCollector{tasks: tasks, alerts: alerts})
}

// Describe implements prometheus.Collector.
func (c *ServerCollector) Describe(ch chan<- *prometheus.Desc) {
	(&Collector{}).Describe(ch)
	for _, d := range []*prometheus.Desc{stateDesc, errDesc, alertDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A task's phase is 1 only while
// it runs, and its lag is shown only in its incremental phase (as the API's
// lag_seconds).
func (c *ServerCollector) Collect(ch chan<- prometheus.Metric) {
	for _, t := range c.tasks.Live() {
		running := t.State == task.Running
		for _, s := range task.States() {
			v := 0.0
			if s == t.State {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(stateDesc, prometheus.GaugeValue, v, t.Name, string(s))
		}
		ph := ""
		if running {
			ph = t.Phase
		}
		phase(ch, t.Name, ph)
		if t.Progress != nil {
			run(ch, t.Progress, running && t.Phase == "incremental")
		}
		kinds := make([]string, 0, len(t.Errors))
		for k := range t.Errors {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		for _, k := range kinds {
			ch <- prometheus.MustNewConstMetric(errDesc, prometheus.CounterValue, float64(t.Errors[k]), t.Name, k)
		}
	}
	if c.alerts != nil {
		sent, failed, dropped := c.alerts.Counts()
		for _, r := range []struct {
			result string
			n      int64
		}{{"sent", sent}, {"failed", failed}, {"dropped", dropped}} {
			ch <- prometheus.MustNewConstMetric(alertDesc, prometheus.CounterValue, float64(r.n), r.result)
		}
	}
}
