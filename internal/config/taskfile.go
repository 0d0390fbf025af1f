package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// TaskFile is a YAML task file (--task FILE): the settings of the task
// flags, each checked and in the text form its flag takes. Keys are the flag
// names in snake_case (zero-date → zero_date); see docs/task-file.md.
//
// Per-table options (a "tables:" mapping keyed by db.table) will get a field
// of their own here, beside Settings, decoded by a key of fileKeys.
type TaskFile struct {
	Path     string
	Settings []Setting // in file order, each key at most once
	// Mapping holds the keys that shape the target (schemas, rename_tables,
	// tables); its Case comes from the case setting.
	Mapping Mapping
}

// Setting is one key of a task file.
type Setting struct {
	Key  string // as written, e.g. zero_date
	Line int
	// Values are what the flag is set to: one value, or one per list item
	// (include, exclude, ack); none for an empty list.
	Values []string
}

// Flag is the name of the flag the setting stands for, e.g. zero-date.
func (s Setting) Flag() string { return strings.ReplaceAll(s.Key, "_", "-") }

// decoder turns a key's YAML value into its flag's values.
type decoder func(at place, n *yaml.Node) ([]string, error)

// place names a key and its line for messages: "task.yaml:5: parallel".
type place struct {
	path, key string
	line      int
}

func (p place) String() string { return fmt.Sprintf("%s:%d: %s", p.path, p.line, p.key) }

// check says what is wrong with a value; label names the value's place.
type check func(label, s string) error

// fileKeys are the keys a task file may hold, by key.
var fileKeys = map[string]decoder{
	"source":    text(func(label, s string) error { _, err := parseSource(s, label); return err }),
	"target":    text(func(label, s string) error { _, err := parseTarget(s, label); return err }),
	"include":   list(patternCheck),
	"exclude":   list(patternCheck),
	"phases":    joined(func(label, s string) error { _, err := parsePhases(s, label); return err }),
	"name":      text(problem(nameProblem)),
	"ack":       list(ackCheck),
	"conflict":  text(problem(conflictProblem)),
	"case":      text(problem(caseProblem)),
	"zero_date": text(problem(zeroDateProblem)),
	"bad_text":  text(problem(badTextProblem)),
	"server_id": integer(func(n int64) string {
		if n < 0 || n > math.MaxUint32 {
			return fmt.Sprintf("%d is out of range; use 1..%d, or 0 to derive one", n, uint32(math.MaxUint32))
		}
		return ""
	}),
	"scan_rows":           integer(scanRowsProblem),
	"log_format":          text(problem(logFormatProblem)),
	"log_level":           text(problem(logLevelProblem)),
	"parallel":            integer(parallelProblem),
	"chunk_rows":          integer(chunkRowsProblem),
	"retry_for":           duration(retryForProblem),
	"stop_when_caught_up": boolean,
	"metrics_listen":      text(nil),
	"progress_interval":   duration(progressProblem),
}

// TaskFileKeys returns the keys a task file may hold that stand for flags,
// sorted; the mapping keys (schemas, rename_tables, tables) are file-only.
func TaskFileKeys() []string {
	keys := make([]string, 0, len(fileKeys))
	for k := range fileKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// LoadTaskFile reads and checks the task file at path.
func LoadTaskFile(path string) (*TaskFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("--task: reading the task file: %v", err)
	}
	return ParseTaskFile(path, data)
}

// ParseTaskFile checks a task file's text; path names it in messages, which
// give the line of each problem: "task.yaml:7: unknown key …". An empty file
// holds no settings.
func ParseTaskFile(path string, data []byte) (*TaskFile, error) {
	tf := &TaskFile{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return tf, nil
		}
		return nil, syntaxError(path, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, syntaxError(path, err)
		}
		return nil, usagef("%s:%d: a second YAML document; a task file holds one task (remove the ---)", path, more.Line)
	}
	top := &doc
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = top.Content[0]
	}
	if top.Kind == yaml.ScalarNode && top.ShortTag() == "!!null" {
		return tf, nil // only comments, or a lone ---
	}
	if top.Kind != yaml.MappingNode {
		return nil, usagef("%s:%d: a task file is a mapping of keys to values, e.g. source: mysql://user@host:3306; found %s",
			path, top.Line, kindName(top))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], resolve(top.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return nil, usagef("%s:%d: a key must be a name such as include; found %s", path, k.Line, kindName(k))
		}
		if line, dup := seen[k.Value]; dup {
			return nil, usagef("%s:%d: key %q repeats line %d; give each key once (a list holds several values)", path, k.Line, k.Value, line)
		}
		seen[k.Value] = k.Line
		at := place{path: path, key: k.Value, line: k.Line}
		if decode, ok := mappingKeys[k.Value]; ok {
			if err := decode(tf, at, v); err != nil {
				return nil, err
			}
			continue
		}
		decode, ok := fileKeys[k.Value]
		if !ok {
			return nil, unknownKey(path, k)
		}
		vals, err := decode(at, v)
		if err != nil {
			return nil, err
		}
		tf.Settings = append(tf.Settings, Setting{Key: k.Value, Line: k.Line, Values: vals})
	}
	return tf, nil
}

// yamlLine is the line number in yaml.v3's syntax errors, which it leaves
// out on the first line.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxError(path string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return usagef("%s:%s: not valid YAML: %s", path, m[1], m[2])
	}
	return usagef("%s:1: not valid YAML: %s", path, strings.TrimPrefix(msg, "yaml: "))
}

func unknownKey(path string, k *yaml.Node) error {
	hint := ""
	if near := nearestKey(k.Value); near != "" {
		hint = fmt.Sprintf("; did you mean %s?", near)
	}
	keys := TaskFileKeys()
	for k := range mappingKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return usagef("%s:%d: unknown key %q%s (known keys: %s)", path, k.Line, k.Value, hint, strings.Join(keys, ", "))
}

// nearestKey is the known key within two edits of key, if any: a typo or a
// flag's spelling (zero-date for zero_date).
func nearestKey(key string) string {
	best, bestD := "", 3
	for _, k := range TaskFileKeys() {
		if d := editDistance(strings.ToLower(key), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// resolve follows an alias (*anchor) to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// kindName describes a node for messages without showing its value, which
// may be a password.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "no value"
		}
		return "a single value"
	}
	return "something else"
}

// scalar returns a scalar's text, or an error when n is no single value.
func scalar(at place, n *yaml.Node, want string) (string, error) {
	switch {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null":
		return "", usagef("%s: no value; give %s, or remove the key", at, want)
	case n.Kind != yaml.ScalarNode:
		return "", usagef("%s: want %s, found %s", at, want, kindName(n))
	}
	return n.Value, nil
}

// problem makes a check of a problem function.
func problem(f func(string) string) check {
	return func(label, s string) error {
		if p := f(s); p != "" {
			return usagef("%s: %s", label, p)
		}
		return nil
	}
}

// text decodes a single value, checked by check (nil: any text).
func text(c check) decoder {
	return func(at place, n *yaml.Node) ([]string, error) {
		s, err := scalar(at, n, "a single value")
		if err != nil {
			return nil, err
		}
		if c != nil {
			if err := c(at.String(), s); err != nil {
				return nil, err
			}
		}
		return []string{s}, nil
	}
}

// list decodes a single value or a list of them, each checked by check.
func list(c check) decoder {
	return func(at place, n *yaml.Node) ([]string, error) {
		items := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			items = n.Content
		}
		vals := []string{}
		for _, item := range items {
			item = resolve(item)
			itemAt := at
			if item != n {
				itemAt.line = item.Line
			}
			s, err := scalar(itemAt, item, "a single value or a list of them")
			if err != nil {
				return nil, err
			}
			if err := c(itemAt.String(), s); err != nil {
				return nil, err
			}
			vals = append(vals, s)
		}
		return vals, nil
	}
}

// joined decodes a comma-separated value or a list, joined with commas
// into the one value its flag takes (phases).
func joined(c check) decoder {
	items := list(func(string, string) error { return nil })
	return func(at place, n *yaml.Node) ([]string, error) {
		vals, err := items(at, n)
		if err != nil {
			return nil, err
		}
		s := strings.Join(vals, ",")
		if err := c(at.String(), s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
}

// integer decodes a whole number, checked by check.
func integer(problem func(int64) string) decoder {
	return func(at place, n *yaml.Node) ([]string, error) {
		s, err := scalar(at, n, "a whole number")
		if err != nil {
			return nil, err
		}
		var v int64
		if n.ShortTag() != "!!int" || n.Decode(&v) != nil {
			return nil, usagef("%s: want a whole number, found %q", at, s)
		}
		if p := problem(v); p != "" {
			return nil, usagef("%s: %s", at, p)
		}
		return []string{strconv.FormatInt(v, 10)}, nil
	}
}

// duration decodes a Go duration such as 90s, 30m or 2h, checked by check.
func duration(problem func(time.Duration) string) decoder {
	return func(at place, n *yaml.Node) ([]string, error) {
		s, err := scalar(at, n, "a duration such as 30m")
		if err != nil {
			return nil, err
		}
		d, err := time.ParseDuration(s)
		if n.ShortTag() != "!!str" || err != nil {
			return nil, usagef("%s: want a duration with a unit, such as 90s, 30m or 2h; found %q", at, s)
		}
		if p := problem(d); p != "" {
			return nil, usagef("%s: %s", at, p)
		}
		return []string{d.String()}, nil
	}
}

// boolean decodes true or false.
func boolean(at place, n *yaml.Node) ([]string, error) {
	s, err := scalar(at, n, "true or false")
	if err != nil {
		return nil, err
	}
	var b bool
	if n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		return nil, usagef("%s: want true or false, found %q", at, s)
	}
	return []string{strconv.FormatBool(b)}, nil
}

func patternCheck(label, s string) error {
	if _, err := ParsePattern(s); err != nil {
		return usagef("%s: %v", label, err)
	}
	return nil
}

func ackCheck(label, s string) error {
	for _, id := range strings.Split(s, ",") {
		if strings.TrimSpace(id) == "" {
			return usagef("%s: an empty check id; give ids such as table-without-key", label)
		}
	}
	return nil
}

func logFormatProblem(s string) string {
	if s == "text" || s == "json" {
		return ""
	}
	return fmt.Sprintf("%q is not a log format; use text or json", s)
}

func logLevelProblem(s string) string {
	var lv slog.Level
	if lv.UnmarshalText([]byte(s)) == nil {
		return ""
	}
	return fmt.Sprintf("%q is not a log level; use debug, info, warn or error", s)
}
