package api

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// TokenFile is the token's file in the data directory.
const TokenFile = "token"

// LoadToken returns the API token: the content of file when given, else
// that of DATA_DIR/token, which is generated (random, readable by its
// owner only) when missing; created reports that it was.
func LoadToken(dataDir, file string) (token string, created bool, err error) {
	if file != "" {
		return readToken(file)
	}
	path := filepath.Join(dataDir, TokenFile)
	token, _, err = readToken(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return token, false, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", false, fmt.Errorf("creating the data directory: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", false, fmt.Errorf("generating a token: %w", err)
	}
	token = hex.EncodeToString(b)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", false, fmt.Errorf("writing the token: %w", err)
	}
	if _, err := f.WriteString(token + "\n"); err != nil {
		f.Close()
		return "", false, fmt.Errorf("writing the token %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", false, fmt.Errorf("writing the token %s: %w", path, err)
	}
	return token, true, nil
}

func readToken(path string) (string, bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", false, fmt.Errorf("reading the token: %w", err)
	}
	token := strings.TrimSpace(string(b))
	if token == "" || strings.ContainsAny(token, " \t\r\n") {
		return "", false, fmt.Errorf("the token file %s must hold one token, without spaces", path)
	}
	return token, false, nil
}

// authorized reports whether an Authorization header carries the token.
func authorized(header, token string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
}
