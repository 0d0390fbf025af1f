package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Diff kinds.
const (
	Missing = "missing" // in the source, not in the target
	Extra   = "extra"   // in the target, not in the source
	Changed = "changed" // in both, some columns differ
)

// Diff is one differing row.
type Diff struct {
	Kind string `json:"kind"`
	// Key names the row: key columns and values in their canonical text,
	// e.g. id=42, or the whole row for a table without a key.
	Key     string   `json:"key"`
	Columns []string `json:"columns,omitempty"` // Changed: the differing columns
}

// TableReport is the outcome for one table.
type TableReport struct {
	Table   string `json:"table"`  // source db.table
	Target  string `json:"target"` // PostgreSQL schema.table
	Mode    string `json:"mode"`   // key-range, key-hash or whole-row
	Rows    int64  `json:"source_rows"`
	Chunks  int    `json:"chunks"`
	Suspect int    `json:"chunks_compared_by_row"`
	Missing int64  `json:"missing"`
	Extra   int64  `json:"extra"`
	Changed int64  `json:"changed"`
	// Repaired counts rows rewritten by --repair and found equal after.
	Repaired int64  `json:"repaired"`
	Diffs    []Diff `json:"diffs"` // the first MaxDiffs differences left
	Error    string `json:"error,omitempty"`
}

// Differs reports whether the table still differs (or could not be compared).
func (t *TableReport) Differs() bool {
	return t.Missing+t.Extra+t.Changed > 0 || t.Error != ""
}

// MaxDiffs bounds the differences listed per table (all are counted);
// the text report shows the first textDiffs of them.
const MaxDiffs, textDiffs = 1000, 50

// Report is the outcome of a verification.
type Report struct {
	OK     bool           `json:"ok"`
	Tables []*TableReport `json:"tables"`
	// Notes say what limited the comparison (e.g. a target that did not
	// catch up with the source in time).
	Notes []string `json:"notes,omitempty"`
}

func (r *Report) finish() {
	r.OK = true
	for _, t := range r.Tables {
		r.OK = r.OK && !t.Differs()
	}
}

// WriteJSON writes the report as JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(r)
}

// WriteText writes a table per source table and each difference listed.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tTARGET\tROWS\tMISSING\tEXTRA\tCHANGED\tREPAIRED\tRESULT")
	for _, t := range r.Tables {
		res := "equal"
		switch {
		case t.Error != "":
			res = "error"
		case t.Differs():
			res = "DIFFERENT"
		case t.Repaired > 0:
			res = "repaired"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", t.Table, t.Target, t.Rows, t.Missing, t.Extra, t.Changed, t.Repaired, res)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range r.Tables {
		if t.Error != "" {
			fmt.Fprintf(w, "\n%s: %s\n", t.Table, t.Error)
		}
		if len(t.Diffs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", t.Table)
		for _, d := range t.Diffs[:min(len(t.Diffs), textDiffs)] {
			fmt.Fprintf(w, "  %-8s %s", d.Kind, d.Key)
			if len(d.Columns) > 0 {
				fmt.Fprintf(w, "  columns: %s", strings.Join(d.Columns, ", "))
			}
			fmt.Fprintln(w)
		}
		if n := t.Missing + t.Extra + t.Changed; n > int64(min(len(t.Diffs), textDiffs)) {
			fmt.Fprintf(w, "  … %d more (--output json lists up to %d per table)\n", n-int64(min(len(t.Diffs), textDiffs)), MaxDiffs)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	verdict := "target equals source"
	if !r.OK {
		verdict = "target DIFFERS from source"
	}
	_, err := fmt.Fprintf(w, "\n%s (%d tables)\n", verdict, len(r.Tables))
	return err
}
