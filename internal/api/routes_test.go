package api

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestRoutesDocumented: docs/api.yaml and the router have the same routes,
// the router serves each documented route with the pattern documented,
// and each documented operation answers 401 (every route needs the token).
func TestRoutesDocumented(t *testing.T) {
	data, err := os.ReadFile("../../docs/api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("docs/api.yaml: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, node := range ops {
			if method == "parameters" {
				continue
			}
			route := strings.ToUpper(method) + " " + path
			documented[route] = true
			var op struct {
				Responses map[string]any `yaml:"responses"`
			}
			if err := node.Decode(&op); err != nil {
				t.Fatalf("docs/api.yaml: %s: %v", route, err)
			}
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("docs/api.yaml: %s does not document 401", route)
			}
		}
	}
	s := New(nil, "t", nil)
	registered := map[string]bool{}
	for _, rt := range routes {
		route := rt.Method + " " + rt.Path
		registered[route] = true
		if !documented[route] {
			t.Errorf("the router has %s; docs/api.yaml does not", route)
		}
	}
	for route := range documented {
		if !registered[route] {
			t.Errorf("docs/api.yaml has %s; the router does not", route)
			continue
		}
		method, path, _ := strings.Cut(route, " ")
		req := httptest.NewRequest(method, strings.ReplaceAll(path, "{name}", "shop-1"), nil)
		if _, pattern := s.mux.Handler(req); pattern != route {
			t.Errorf("%s %s is served by pattern %q, want %q", method, req.URL.Path, pattern, route)
		}
	}
}
