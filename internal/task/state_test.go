package task

import (
	"errors"
	"strings"
	"testing"
)

func TestNext(t *testing.T) {
	// want[from][action]: the state the action leads to, "" when refused.
	want := map[State]map[Action]State{
		Created:     {ActPrecheck: Prechecking, ActStart: Prechecking, ActUpdate: Created},
		Prechecking: {ActStop: Stopped},
		Running:     {ActPause: Paused, ActStop: Stopped},
		Paused:      {ActPrecheck: Prechecking, ActResume: Prechecking, ActStop: Stopped, ActUpdate: Paused},
		Stopped:     {ActPrecheck: Prechecking, ActStart: Prechecking, ActUpdate: Stopped},
		Failed:      {ActPrecheck: Prechecking, ActStart: Prechecking, ActStop: Stopped, ActUpdate: Failed},
	}
	for _, from := range States() {
		for _, a := range Actions() {
			got, err := Next("t", from, a)
			exp, allowed := want[from][a]
			if a == ActDelete || a == ActVerify {
				exp, allowed = from, true
			}
			switch {
			case allowed && (err != nil || got != exp):
				t.Errorf("%s from %s: got %s, %v; want %s", a, from, got, err, exp)
			case !allowed:
				var te *TransitionError
				if !errors.As(err, &te) {
					t.Errorf("%s from %s: got %s, %v; want a *TransitionError", a, from, got, err)
					continue
				}
				if got != from || te.State != from || te.Action != a || te.Reason == "" {
					t.Errorf("%s from %s: got %s, %+v", a, from, got, te)
				}
			}
		}
	}
}

func TestNextReasons(t *testing.T) {
	for _, tc := range []struct {
		from State
		a    Action
		want string
	}{
		{Stopped, ActResume, "a stopped task cannot be resumed; start it again"},
		{Paused, ActStart, "resume it"},
		{Running, ActStart, "already running"},
		{Created, ActStop, "never started"},
		{Prechecking, ActPause, "a precheck is running"},
		{Failed, ActResume, "start it again"},
		{Stopped, ActPause, "it is stopped, not running"},
		{Running, ActUpdate, "pause or stop it first"},
	} {
		_, err := Next("shop", tc.from, tc.a)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "cannot "+string(tc.a)+" task shop: ") {
			t.Errorf("%s from %s: %v; want it to say %q", tc.a, tc.from, err, tc.want)
		}
	}
}
