// Package console is sluice server's web console: plain HTML, CSS and
// JavaScript embedded in the binary (no framework, no build step, nothing
// fetched from elsewhere), served at / by the same server as the API. The
// assets hold no data and need no token; the page asks for the API token,
// keeps it in the tab's sessionStorage and sends it as a bearer token on
// every API call.
package console
