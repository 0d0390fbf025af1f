package console

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestHandler: the console's assets are served with their types and
// a strict CSP; they load nothing from elsewhere; only GET and HEAD.
func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	remote := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	for path, ctype := range map[string]string{"/": "text/html", "/app.js": "text/javascript", "/dom.js": "text/javascript", "/app.css": "text/css"} {
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %s, %s", path, resp.Status, resp.Header.Get("Content-Type"))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if m := remote.FindString(body); m != "" && !strings.Contains(m, "w3.org") {
			t.Errorf("%s loads %s from elsewhere", path, m)
		}
	}
	if _, body := get("/"); !strings.Contains(body, `<script type="module" src="app.js">`) || strings.Contains(body, "<script>") {
		t.Errorf("index.html: %s", body)
	}
	if resp, _ := get("/nothing.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/nothing.js: %s", resp.Status)
	}
	resp, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %s", resp.Status)
	}
}
