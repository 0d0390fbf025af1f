// Package config turns the command line (and, later, a task file) into a
// validated task configuration: source and target connection settings, the
// selection of tables, phases and policies. Bad input is a *UsageError,
// which the CLI maps to exit code 2.
package config
