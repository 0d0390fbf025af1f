// Package config turns the command line and a YAML task file into a
// validated task configuration: source and target connection settings, the
// selection of tables, phases and policies. Bad input is a *UsageError,
// which the CLI maps to exit code 2.
package config
