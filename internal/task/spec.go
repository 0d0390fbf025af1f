package task

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/sluicedb/sluice/internal/config"
)

// Spec is a task as the API takes it: the keys of a task file
// (docs/task-file.md) as one JSON object, name, source and target required.
// JSON is YAML, so the task file's parser checks it and config.Flags builds
// the task: one set of names, defaults and checks for the CLI and the server.
type Spec struct {
	Name string
	Task *config.Task
	// keys are the object as given, decoded with json.Number; they hold the
	// passwords and are stored, never shown (see Redacted).
	keys map[string]any
	// secret are the passwords Scrub replaces.
	secret []string
	// Alert is the task's lag alert: keys of the server only (see lagRule).
	Alert LagRule
}

// FieldError is a bad spec: the key at fault ("" when no single key is) and
// what is wrong with it. The API answers 400 with both.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Field == "" || strings.HasPrefix(e.Msg, e.Field+":") {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// specPath names the body in the task file parser's messages.
const specPath = "body"

// required are the keys a spec must hold, with what to give.
var required = []struct{ key, want string }{
	{"name", "give the task a name of 1-63 letters, digits, '_', '.', '-'"},
	{"source", "give mysql://user:password@host:port"},
	{"target", "give postgres://user:password@host:port/dbname"},
}

// serverKeys are task file keys that mean nothing to a task the server
// runs, with why.
var serverKeys = map[string]string{
	"metrics_listen": "the server will serve its tasks' metrics itself; remove the key",
	"log_format":     "the server's --log-format applies to every task; remove the key",
	"log_level":      "the server's --log-level applies to every task; remove the key",
}

// ParseSpec checks a JSON body into a spec. A bad body is a *FieldError.
func ParseSpec(body []byte) (*Spec, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var keys map[string]any
	if err := dec.Decode(&keys); err != nil || keys == nil {
		msg := "the body must be a JSON object of task settings, e.g. {\"name\": \"shop\", \"source\": \"mysql://…\", \"target\": \"postgres://…\"}"
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			msg += "; " + syntax.Error()
		}
		return nil, &FieldError{Msg: msg}
	}
	if dec.More() {
		return nil, &FieldError{Msg: "the body holds more than one JSON value; send one object"}
	}
	return specOf(keys)
}

// specOf checks decoded keys into a spec.
func specOf(keys map[string]any) (*Spec, error) {
	for _, r := range required {
		if v, ok := keys[r.key]; !ok || v == nil {
			return nil, &FieldError{Field: r.key, Msg: "required; " + r.want}
		}
	}
	for _, k := range sortedKeys(keys) {
		if why, ok := serverKeys[k]; ok {
			return nil, &FieldError{Field: k, Msg: why}
		}
	}
	rule, err := lagRule(keys)
	if err != nil {
		return nil, err
	}
	keys, given := taskKeys(keys), keys
	doc, err := json.Marshal(keys)
	if err != nil {
		return nil, &FieldError{Msg: "the body's values cannot be encoded again: " + err.Error()}
	}
	tf, err := config.ParseTaskFile(specPath, doc)
	if err != nil {
		return nil, faultyKey(keys, err)
	}
	f := config.NewFlags()
	if err := f.Apply(tf); err != nil {
		return nil, &FieldError{Msg: trimPlace(err.Error())}
	}
	t, err := f.Task()
	if err != nil {
		msg := err.Error()
		field := ""
		if m := flagName.FindStringSubmatch(msg); m != nil {
			field = strings.ReplaceAll(m[1], "-", "_")
		}
		return nil, &FieldError{Field: field, Msg: msg}
	}
	s := &Spec{Name: t.Name, Task: t, keys: given, Alert: rule}
	s.secret = s.secrets()
	return s, nil
}

// flagName is the flag that config's validation messages start with:
// "--phases selects nothing", "--source is required: …".
var flagName = regexp.MustCompile(`^--([a-z][a-z-]*)`)

// faultyKey names the key that err, from parsing every key at once, is
// about: the first that fails alone. The parser's messages start with the
// key already ("body:1: parallel: …", "body:1: unknown key …").
func faultyKey(keys map[string]any, err error) error {
	for _, k := range sortedKeys(keys) {
		doc, merr := json.Marshal(map[string]any{k: keys[k]})
		if merr != nil {
			continue
		}
		if _, kerr := config.ParseTaskFile(specPath, doc); kerr != nil {
			return &FieldError{Field: k, Msg: trimPlace(kerr.Error())}
		}
	}
	return &FieldError{Msg: trimPlace(err.Error())}
}

// trimPlace drops the body's line from a parser message: the body is one
// line, the key names the place.
func trimPlace(msg string) string {
	return strings.TrimPrefix(msg, specPath+":1: ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// JSON is the spec as stored: with its passwords.
func (s *Spec) JSON() ([]byte, error) { return json.Marshal(s.keys) }

// Redacted is the spec as shown: the source and target URLs without their
// passwords (user information and password or sslpassword options).
func (s *Spec) Redacted() map[string]any {
	out := make(map[string]any, len(s.keys))
	for k, v := range s.keys {
		if str, ok := v.(string); ok && (k == "source" || k == "target") {
			v = withoutPassword(str)
		}
		out[k] = v
	}
	return out
}

// isPasswordOption reports whether a URL option holds a password.
func isPasswordOption(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "sslpassword"
}

// withoutPassword is raw without its passwords. A URL that does not parse
// (it did when the spec was checked) is not shown at all.
func withoutPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(not shown)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		if isPasswordOption(k) {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// secrets are the spec's passwords as they could appear in a message: as
// given and percent-encoded. Those shorter than minSecret are left out:
// scrubbing them would garble every message and protect little.
func (s *Spec) secrets() []string {
	const minSecret = 4
	var out []string
	add := func(pw string) {
		if len(pw) < minSecret {
			return
		}
		for _, v := range []string{pw, url.QueryEscape(pw), url.PathEscape(pw)} {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	for _, k := range []string{"source", "target"} {
		str, _ := s.keys[k].(string)
		u, err := url.Parse(str)
		if err != nil {
			continue
		}
		if pw, ok := u.User.Password(); ok {
			add(pw)
		}
		for k, vs := range u.Query() {
			if isPasswordOption(k) {
				for _, v := range vs {
					add(v)
				}
			}
		}
	}
	if s.Task != nil {
		add(s.Task.Source.Passwd)
		add(s.Task.Target.ConnConfig.Password)
	}
	return out
}

// Scrub replaces the spec's passwords in msg: every message about a task
// (events, last error, reports) passes through it before it is stored.
func (s *Spec) Scrub(msg string) string {
	for _, pw := range s.secret {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return msg
}
