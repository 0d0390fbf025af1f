package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/sluicedb/sluice/internal/task"
)

// errorBody is every error response: what went wrong and, by kind, the
// field at fault (400), the task's state (409) or the precheck's report
// (422).
type errorBody struct {
	Error    string               `json:"error"`
	Field    string               `json:"field,omitempty"`
	State    task.State           `json:"state,omitempty"`
	Precheck *task.PrecheckReport `json:"precheck,omitempty"`
}

// writeError answers err with the status its kind maps to.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	body := errorBody{Error: err.Error()}
	var (
		fe *task.FieldError
		te *task.TransitionError
		pe *task.PrecheckError
	)
	status := http.StatusInternalServerError
	switch {
	case errors.As(err, &fe):
		status, body.Field = http.StatusBadRequest, fe.Field
	case errors.Is(err, task.ErrNotFound), errors.Is(err, task.ErrNoVerification):
		status = http.StatusNotFound
	case errors.Is(err, task.ErrExists):
		status = http.StatusConflict
	case errors.As(err, &te):
		status, body.State = http.StatusConflict, te.State
	case errors.As(err, &pe):
		status, body.Precheck = http.StatusUnprocessableEntity, pe.Report
	case errors.Is(err, task.ErrClosed), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		status = http.StatusServiceUnavailable
	default:
		s.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as the response's JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client may have gone; nothing to do about it
}
