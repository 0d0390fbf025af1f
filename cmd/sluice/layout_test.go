package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayout keeps the data flow one way (STYLE.md): source and sink never
// import each other, and the pure packages do no I/O through them.
func TestLayout(t *testing.T) {
	const mod = "github.com/sluicedb/sluice/internal/"
	forbidden := map[string][]string{
		"source": {"sink", "pipeline", "precheck"},
		"sink":   {"source", "pipeline", "precheck"},
		"schema": {"source", "sink", "value", "change", "pipeline"},
		"value":  {"source", "sink", "pipeline"},
		"change": {"source", "sink", "value", "pipeline"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "../../internal/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		for _, b := range bad {
			if deps[mod+b] {
				t.Errorf("internal/%s imports internal/%s", pkg, b)
			}
		}
	}
}
