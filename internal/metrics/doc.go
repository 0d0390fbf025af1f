// Package metrics owns every Prometheus metric sluice exports: one task's
// for sluice run --metrics-listen (Collector), every task's of sluice
// server with their states, errors and alert deliveries (ServerCollector).
// The values are read, when scraped, from the live task state in package
// progress and the task manager, so the pipeline never touches a metric
// itself. Names are sluice_<subsystem>_<name>_<unit>; every per-task
// series has a task label.
package metrics
