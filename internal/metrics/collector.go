package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicedb/sluice/internal/progress"
)

var (
	phaseDesc = prometheus.NewDesc("sluice_task_phase", "1 for the phase the task is running.", []string{"task", "phase"}, nil)
	rowsDesc  = prometheus.NewDesc("sluice_full_rows_total", "Rows copied by the full load.", []string{"task", "table"}, nil)
	bytesDesc = prometheus.NewDesc("sluice_full_bytes_total", "Bytes read by the full load (source values).", []string{"task", "table"}, nil)
	txnsDesc  = prometheus.NewDesc("sluice_cdc_transactions_total", "Source transactions applied.", []string{"task"}, nil)
	chgDesc   = prometheus.NewDesc("sluice_cdc_row_changes_total", "Row changes applied.", []string{"task"}, nil)
	lagDesc   = prometheus.NewDesc("sluice_cdc_lag_seconds", "Source commit to target commit of the last transaction; 0 when caught up.", []string{"task"}, nil)
	retryDesc = prometheus.NewDesc("sluice_retries_total", "Lost connections retried.", []string{"task"}, nil)
)

// Collector exports one task's state.
type Collector struct{ task *progress.Task }

// Register adds the task's metrics to reg.
func Register(reg prometheus.Registerer, task *progress.Task) error {
	return reg.Register(&Collector{task: task})
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{phaseDesc, rowsDesc, bytesDesc, txnsDesc, chgDesc, lagDesc, retryDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	t := c.task
	for _, p := range []string{"schema", "full", "incremental"} {
		v := 0.0
		if t.Phase() == p {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(phaseDesc, prometheus.GaugeValue, v, t.Name, p)
	}
	if tr := t.Full(); tr != nil {
		for _, tb := range tr.Tables() {
			ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.CounterValue, float64(tb.Rows()), t.Name, tb.Name)
			ch <- prometheus.MustNewConstMetric(bytesDesc, prometheus.CounterValue, float64(tb.Bytes()), t.Name, tb.Name)
		}
	}
	ch <- prometheus.MustNewConstMetric(txnsDesc, prometheus.CounterValue, float64(t.Stream.Txns()), t.Name)
	ch <- prometheus.MustNewConstMetric(chgDesc, prometheus.CounterValue, float64(t.Stream.Changes()), t.Name)
	ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, t.Stream.Lag().Seconds(), t.Name)
	ch <- prometheus.MustNewConstMetric(retryDesc, prometheus.CounterValue, float64(t.Retries()), t.Name)
}
