package precheck

import (
	"errors"
	"strings"
	"testing"
)

func TestReportBlockingAndAck(t *testing.T) {
	var r Report
	r.Add(IDTableWithoutKey, Warning, "shop.log", "no key", "add a primary key")
	r.Add(IDGeometryAsBytea, Warning, "shop.places", "no PostGIS", "install PostGIS")
	if err := r.Err(); err == nil {
		t.Fatal("unacknowledged warnings must block")
	}
	r.Ack(map[string]bool{IDTableWithoutKey: true})
	err := r.Err()
	var fe *FailedError
	if !errors.As(err, &fe) || len(fe.Results) != 1 || fe.Results[0].ID != IDGeometryAsBytea {
		t.Fatalf("after one ack: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"warning [geometry-as-bytea] shop.places: no PostGIS", "fix: install PostGIS", "--ack geometry-as-bytea"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	r.Ack(map[string]bool{IDGeometryAsBytea: true})
	if err := r.Err(); err != nil {
		t.Errorf("all warnings acknowledged: %v", err)
	}
	r.Add(IDTargetExists, Error, "shop.t", "exists", "drop it")
	r.Ack(map[string]bool{IDTargetExists: true})
	if err := r.Err(); err == nil || !strings.HasPrefix(err.Error(), "precheck failed (1 item(s)):\n  error [target-table-exists]") {
		t.Errorf("errors cannot be acknowledged: %v", err)
	}
}
