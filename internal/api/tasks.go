package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/sluicedb/sluice/internal/task"
)

// maxBody bounds a request's body: a task spec is a few hundred bytes.
const maxBody = 1 << 20

func (s *Server) listTasks(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, struct {
		Tasks []*task.Status `json:"tasks"`
	}{s.tasks.List()})
	return nil
}

func (s *Server) createTask(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	st, err := s.tasks.Create(r.Context(), body)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/tasks/"+st.Name)
	writeJSON(w, http.StatusCreated, st)
	return nil
}

func (s *Server) getTask(w http.ResponseWriter, r *http.Request) error {
	st, err := s.tasks.Get(r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) updateTask(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	st, err := s.tasks.Update(r.Context(), r.PathValue("name"), body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) deleteTask(w http.ResponseWriter, r *http.Request) error {
	if err := s.tasks.Delete(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) precheck(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.tasks.Precheck(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) error {
	return s.transition(w, r, s.tasks.Start)
}

func (s *Server) pause(w http.ResponseWriter, r *http.Request) error {
	return s.transition(w, r, s.tasks.Pause)
}

func (s *Server) resume(w http.ResponseWriter, r *http.Request) error {
	return s.transition(w, r, s.tasks.Resume)
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request) error {
	return s.transition(w, r, s.tasks.Stop)
}

// transition answers an action with the task's status once it is done.
func (s *Server) transition(w http.ResponseWriter, r *http.Request, act func(ctx context.Context, name string) (*task.Status, error)) error {
	st, err := act(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) startVerify(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var req struct {
		Repair bool `json:"repair"`
	}
	if len(body) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return &task.FieldError{Field: "repair", Msg: "the body is optional; when given, it is {\"repair\": true|false}: " + err.Error()}
		}
	}
	v, err := s.tasks.Verify(r.Context(), r.PathValue("name"), req.Repair)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/tasks/"+r.PathValue("name")+"/verify")
	writeJSON(w, http.StatusAccepted, v)
	return nil
}

func (s *Server) verification(w http.ResponseWriter, r *http.Request) error {
	v, err := s.tasks.Verification(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) lag(w http.ResponseWriter, r *http.Request) error {
	since := time.Now().Add(-task.DefaultLagKeep)
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return &task.FieldError{Field: "since", Msg: fmt.Sprintf("%q is not a time; give RFC 3339, e.g. 2026-11-26T10:00:00Z", v)}
		}
		since = t
	}
	samples, err := s.tasks.Lag(r.Context(), r.PathValue("name"), since)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		IntervalSeconds float64          `json:"interval_seconds"`
		Samples         []task.LagSample `json:"samples"`
	}{s.tasks.LagEvery().Seconds(), samples})
	return nil
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := intParam(q.Get("limit"), "limit", 100, 1, task.MaxEvents)
	if err != nil {
		return err
	}
	before, err := intParam(q.Get("before"), "before", 0, 1, 1<<62)
	if err != nil {
		return err
	}
	events, err := s.tasks.Events(r.Context(), r.PathValue("name"), int(limit), before)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Events []task.Event `json:"events"`
	}{events})
	return nil
}

// intParam parses a whole-number query parameter in [lo, hi]; "" is def.
func intParam(v, name string, def, lo, hi int64) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, &task.FieldError{Field: name, Msg: fmt.Sprintf("%q is not a whole number from %d to %d", v, lo, hi)}
	}
	return n, nil
}

// readBody reads a request's body, up to maxBody.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &task.FieldError{Msg: fmt.Sprintf("the body is larger than %d bytes", maxBody)}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	return body, nil
}
