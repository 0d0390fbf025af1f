package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicedb/sluice/internal/progress"
)

// Every metric sluice exports. Each per-task series has a task label.
var (
	phaseDesc = prometheus.NewDesc("sluice_task_phase", "1 for the phase the task is running.", []string{"task", "phase"}, nil)
	rowsDesc  = prometheus.NewDesc("sluice_full_rows_total", "Rows copied by the full load.", []string{"task", "table"}, nil)
	bytesDesc = prometheus.NewDesc("sluice_full_bytes_total", "Bytes read by the full load (source values).", []string{"task", "table"}, nil)
	txnsDesc  = prometheus.NewDesc("sluice_cdc_transactions_total", "Source transactions applied.", []string{"task"}, nil)
	chgDesc   = prometheus.NewDesc("sluice_cdc_row_changes_total", "Row changes applied.", []string{"task"}, nil)
	tblDesc   = prometheus.NewDesc("sluice_cdc_table_row_changes_total", "Row changes applied, by source table.", []string{"task", "table"}, nil)
	lagDesc   = prometheus.NewDesc("sluice_cdc_lag_seconds", "Source commit to target commit of the last transaction; 0 when caught up.", []string{"task"}, nil)
	retryDesc = prometheus.NewDesc("sluice_retries_total", "Lost connections retried.", []string{"task"}, nil)

	// sluice server only.
	stateDesc = prometheus.NewDesc("sluice_task_state", "1 for the lifecycle state the task is in.", []string{"task", "state"}, nil)
	errDesc   = prometheus.NewDesc("sluice_task_errors_total", "Errors of the task (failed runs, failed verifications) since the server started, by kind.", []string{"task", "kind"}, nil)
	alertDesc = prometheus.NewDesc("sluice_alert_deliveries_total", "Alert webhook deliveries: sent, failed (after every retry), dropped (queue full).", []string{"result"}, nil)
)

// phases are the values of sluice_task_phase's phase label.
var phases = []string{"schema", "full", "incremental"}

// Collector exports one task's state (sluice run).
type Collector struct{ task *progress.Task }

// Register adds the task's metrics to reg.
func Register(reg prometheus.Registerer, task *progress.Task) error {
	return reg.Register(&Collector{task: task})
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{phaseDesc, rowsDesc, bytesDesc, txnsDesc, chgDesc, tblDesc, lagDesc, retryDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	phase(ch, c.task.Name, c.task.Phase())
	run(ch, c.task, true)
}

// phase exports which phase runs: 1 for it, 0 for the others.
func phase(ch chan<- prometheus.Metric, task, running string) {
	for _, p := range phases {
		v := 0.0
		if running == p {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(phaseDesc, prometheus.GaugeValue, v, task, p)
	}
}

// run exports the counters of a task's run, and its lag when lag is set.
func run(ch chan<- prometheus.Metric, t *progress.Task, lag bool) {
	if tr := t.Full(); tr != nil {
		for _, tb := range tr.Tables() {
			ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(tb.Rows()), t.Name, tb.Name)
			ch <- prometheus.MustNewConstMetric(bytesDesc, prometheus.CounterValue, float64(tb.Bytes()), t.Name, tb.Name)
		}
	}
	ch <- prometheus.MustNewConstMetric(txnsDesc, prometheus.CounterValue, float64(t.Stream.Txns()), t.Name)
	ch <- prometheus.MustNewConstMetric(chgDesc, prometheus.CounterValue, float64(t.Stream.Changes()), t.Name)
	for table, n := range t.Stream.Tables() {
		ch <- prometheus.MustNewConstMetric(tblDesc, prometheus.CounterValue, float64(n), t.Name, table)
	}
	if lag {
		ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, t.Stream.Lag().Seconds(), t.Name)
	}
	ch <- prometheus.MustNewConstMetric(retryDesc, prometheus.CounterValue, float64(t.Retries()), t.Name)
}
