// Package tasktest has fake pipelines for the tests of the task manager and
// of the API: prechecks, runs and verifications that touch no database.
package tasktest
