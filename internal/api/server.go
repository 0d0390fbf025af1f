package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/sluicedb/sluice/internal/task"
)

// Prefix is the path of every API route.
const Prefix = "/api/v1"

// Server is the REST API over a task manager.
type Server struct {
	tasks *task.Manager
	token string
	log   *slog.Logger
	mux   *http.ServeMux
}

// route is one route of the API: an HTTP method and a ServeMux pattern.
type route struct {
	Method, Path string
	handler      func(*Server, http.ResponseWriter, *http.Request) error
}

// routes are every route the server registers; docs/api.yaml lists the
// same (TestRoutesDocumented).
var routes = []route{
	{"GET", Prefix + "/tasks", (*Server).listTasks},
	{"POST", Prefix + "/tasks", (*Server).createTask},
	{"GET", Prefix + "/tasks/{name}", (*Server).getTask},
	{"PUT", Prefix + "/tasks/{name}", (*Server).updateTask},
	{"DELETE", Prefix + "/tasks/{name}", (*Server).deleteTask},
	{"POST", Prefix + "/tasks/{name}/precheck", (*Server).precheck},
	{"POST", Prefix + "/tasks/{name}/start", (*Server).start},
	{"POST", Prefix + "/tasks/{name}/pause", (*Server).pause},
	{"POST", Prefix + "/tasks/{name}/resume", (*Server).resume},
	{"POST", Prefix + "/tasks/{name}/stop", (*Server).stop},
	{"POST", Prefix + "/tasks/{name}/verify", (*Server).startVerify},
	{"GET", Prefix + "/tasks/{name}/verify", (*Server).verification},
	{"GET", Prefix + "/tasks/{name}/lag", (*Server).lag},
	{"GET", Prefix + "/tasks/{name}/events", (*Server).events},
}

// New returns the API of tasks, guarded by token.
func New(tasks *task.Manager, token string, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{tasks: tasks, token: token, log: log, mux: http.NewServeMux()}
	for _, rt := range routes {
		s.mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			if err := rt.handler(s, w, r); err != nil {
				s.writeError(w, r, err)
			}
		})
	}
	return s
}

// ServeHTTP checks the token, then routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.guarded(w, r, s.mux)
}

// guarded serves a request with h when it carries the token, else answers
// 401; every request is logged at debug level.
func (s *Server) guarded(w http.ResponseWriter, r *http.Request, h http.Handler) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	w = rec
	w.Header().Set("Cache-Control", "no-store")
	if !authorized(r.Header.Get("Authorization"), s.token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sluice"`)
		writeJSON(w, http.StatusUnauthorized, errorBody{Error: "a valid token is required: send the header " +
			"Authorization: Bearer TOKEN (the token sluice server printed when it first started, kept in DATA_DIR/token, or --token-file)"})
	} else {
		h.ServeHTTP(w, r)
	}
	s.log.Debug("api request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
		"elapsed", time.Since(start).Round(time.Microsecond))
}

// Site is everything sluice server serves on its address: the API under
// Prefix; metrics at /metrics, behind the API's token (they name the
// tasks); the console at / (its assets are public: they hold no data, and
// the console calls the API with the token its user gives it).
func (s *Server) Site(metrics, console http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(Prefix+"/", s)
	mux.HandleFunc(MetricsPath, func(w http.ResponseWriter, r *http.Request) { s.guarded(w, r, metrics) })
	mux.Handle("/", console)
	return mux
}

// MetricsPath is where Site serves the metrics.
const MetricsPath = "/metrics"

// statusRecorder remembers the status of a response, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
