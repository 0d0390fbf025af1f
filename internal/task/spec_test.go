package task

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const (
	srcURL = "mysql://app:Src-Pw-7788@127.0.0.1:3306"
	dstURL = "postgres://app:Dst-Pw-9911@127.0.0.1:5432/app?sslmode=disable"
)

func TestParseSpec(t *testing.T) {
	s, err := ParseSpec([]byte(`{"name": "shop", "source": "` + srcURL + `", "target": "` + dstURL + `",
		"include": ["shop.*"], "parallel": 2, "retry_for": "30m", "ack": "table-without-key", "phases": ["schema", "full"]}`))
	if err != nil {
		t.Fatal(err)
	}
	tk := s.Task
	if s.Name != "shop" || tk.Name != "shop" || tk.Parallel != 2 || tk.RetryFor.String() != "30m0s" ||
		!tk.Acks["table-without-key"] || tk.Phases.String() != "schema,full" || tk.Source.Passwd != "Src-Pw-7788" ||
		len(tk.Selection.Include) != 1 {
		t.Errorf("task %+v", tk)
	}
	red, err := json.Marshal(s.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(red), "Pw-") || !strings.Contains(string(red), `"source":"mysql://app@127.0.0.1:3306"`) {
		t.Errorf("redacted spec %s", red)
	}
	stored, err := s.JSON()
	if err != nil || !strings.Contains(string(stored), "Src-Pw-7788") {
		t.Errorf("stored spec %s, %v: want the password kept", stored, err)
	}
	if got := s.Scrub("dial app:Src-Pw-7788@x and Dst-Pw-9911"); got != "dial app:xxxxx@x and xxxxx" {
		t.Errorf("Scrub: %q", got)
	}
}

func TestParseSpecErrors(t *testing.T) {
	base := `"name": "shop", "source": "` + srcURL + `", "target": "` + dstURL + `"`
	for _, tc := range []struct {
		body, field, msg string
	}{
		{`[1]`, "", "must be a JSON object"},
		{`{"name": `, "", "must be a JSON object"},
		{`null`, "", "must be a JSON object"},
		{`{"name": "a"} {}`, "", "more than one JSON value"},
		{`{"source": "` + srcURL + `", "target": "` + dstURL + `"}`, "name", "required"},
		{`{"name": "shop", "target": "` + dstURL + `"}`, "source", "required"},
		{`{"name": "shop", "source": "` + srcURL + `", "target": null}`, "target", "required"},
		{`{` + base + `, "parallel": 0}`, "parallel", "out of range"},
		{`{` + base + `, "parallel": "many"}`, "parallel", "whole number"},
		{`{` + base + `, "inclde": "x.*"}`, "inclde", "did you mean include"},
		{`{` + base + `, "zero_date": "never"}`, "zero_date", "not a policy"},
		{`{` + base + `, "name": "bad name"}`, "", ""}, // repeated key: JSON keeps the last
		{`{"name": "bad name", "source": "` + srcURL + `", "target": "` + dstURL + `"}`, "name", "not a valid task name"},
		{`{` + base + `, "metrics_listen": ":9108"}`, "metrics_listen", "serve its tasks' metrics"},
		{`{` + base + `, "stop_when_caught_up": true, "phases": "schema,full"}`, "stop_when_caught_up", "needs the incremental phase"},
		{`{"name": "shop", "source": "mysql://app:Src-Pw-7788@h:port", "target": "` + dstURL + `"}`, "source", "not a URL"},
	} {
		_, err := ParseSpec([]byte(tc.body))
		if tc.msg == "" {
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a *FieldError", tc.body, err)
			continue
		}
		if fe.Field != tc.field || !strings.Contains(fe.Msg, tc.msg) {
			t.Errorf("%s: field %q, message %q; want %q and %q", tc.body, fe.Field, fe.Msg, tc.field, tc.msg)
		}
		if strings.Contains(fe.Error(), "Pw-") || strings.Contains(fe.Msg, "body:") {
			t.Errorf("%s: message %q", tc.body, fe.Error())
		}
	}
}
