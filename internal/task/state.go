package task

import (
	"fmt"
	"slices"
)

// State is where a task is in its lifecycle.
type State string

// States. Prechecking is transient: a precheck (alone, or before a start or
// a resume) is running and the task returns to its previous state, or goes
// on to Running, when it ends.
const (
	Created     State = "created"
	Prechecking State = "prechecking"
	Running     State = "running"
	Paused      State = "paused"
	Stopped     State = "stopped"
	Failed      State = "failed"
)

// Action is what a user asks of a task.
type Action string

// Actions.
const (
	ActPrecheck Action = "precheck"
	ActStart    Action = "start"
	ActPause    Action = "pause"
	ActResume   Action = "resume"
	ActStop     Action = "stop"
	ActDelete   Action = "delete"
	ActVerify   Action = "verify"
	ActUpdate   Action = "update"
)

// TransitionError is an action the task's state does not allow; the API
// answers 409 with its message, which says why and what to do instead.
type TransitionError struct {
	Task   string
	State  State
	Action Action
	Reason string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s task %s: %s", e.Action, e.Task, e.Reason)
}

// transitions are, for each action, the states it is allowed from and the
// state it leads to at once ("": the same).
var transitions = map[Action]struct {
	from []State
	to   State
}{
	ActPrecheck: {[]State{Created, Paused, Stopped, Failed}, Prechecking},
	ActStart:    {[]State{Created, Stopped, Failed}, Prechecking},
	ActResume:   {[]State{Paused}, Prechecking},
	ActPause:    {[]State{Running}, Paused},
	ActStop:     {[]State{Running, Paused, Prechecking, Failed}, Stopped},
	ActUpdate:   {[]State{Created, Paused, Stopped, Failed}, ""},
	ActDelete:   {States(), ""},
	ActVerify:   {States(), ""},
}

// refusals say why an action is refused in a state, and what to do instead,
// where the general reasons of Next would not.
var refusals = map[Action]map[State]string{
	ActPrecheck: {Running: "it is running and passed its precheck when it started; pause it first"},
	ActStart:    {Running: "it is already running", Paused: "it is paused; resume it"},
	ActResume: {
		Created: "it was never started; start it",
		Running: "it is already running",
		Stopped: "a stopped task cannot be resumed; start it again (it continues from its checkpoint in the target)",
		Failed:  "it failed; fix the cause (see last_error and the events), then start it again",
	},
	ActPause:  {Paused: "it is already paused"},
	ActStop:   {Stopped: "it is already stopped", Created: "it was never started; delete it instead"},
	ActUpdate: {Running: "it is running; pause or stop it first (the new spec applies from the next start or resume)"},
}

// Next is the state an action moves a task to at once, or the reason it may
// not: the whole state machine. Start and resume go to Prechecking (then to
// Running when the precheck passes); pause and stop wait in the state they
// leave until the pipeline has stopped at a transaction boundary. Delete is
// allowed in every state (it stops the task first); verify and update do
// not change the state.
func Next(name string, from State, a Action) (State, error) {
	tr, known := transitions[a]
	if slices.Contains(tr.from, from) {
		if tr.to == "" {
			return from, nil
		}
		return tr.to, nil
	}
	reason := refusals[a][from]
	switch {
	case reason != "":
	case !known:
		reason = fmt.Sprintf("unknown action %q", a)
	case from == Prechecking:
		reason = "a precheck is running; wait for it to end, or stop the task"
	case a == ActPause:
		reason = fmt.Sprintf("it is %s, not running", from)
	default:
		reason = fmt.Sprintf("not allowed while it is %s", from)
	}
	return from, &TransitionError{Task: name, State: from, Action: a, Reason: reason}
}

// States lists every state, in lifecycle order.
func States() []State { return []State{Created, Prechecking, Running, Paused, Stopped, Failed} }

// Actions lists every action.
func Actions() []Action {
	return []Action{ActPrecheck, ActStart, ActPause, ActResume, ActStop, ActDelete, ActVerify, ActUpdate}
}
