// Package metrics owns every Prometheus metric sluice exports. The values
// are read, when scraped, from the live task state in package progress, so
// the pipeline never touches a metric itself.
package metrics
