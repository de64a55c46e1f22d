package starlib

import (
	"regexp"
	"slices"
	"strings"

	"github.com/ovrseer/ovrseer/unit"
)

// mask is what a hidden value is shown as.
const mask = "***"

// secretWords make a variable secret when one of its "_"-separated words
// (case-insensitive) is among them: API_TOKEN, SECRET_KEY_BASE, DB_PASSWD.
var secretWords = []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIALS"}

// secretName reports whether the variable name looks like it holds a secret.
func secretName(name string) bool {
	for word := range strings.SplitSeq(strings.ToUpper(name), "_") {
		if slices.Contains(secretWords, word) {
			return true
		}
	}
	return false
}

// urlPassword finds the password of a URL: scheme://user:PASSWORD@host.
var urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s]*:)[^@/?#\s]*@`)

// maskURLs replaces the password of every URL in s.
func maskURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlPassword.ReplaceAllString(s, "${1}"+mask+"@")
}

// maskEnv masks the values of secret-looking variables and URL passwords
// in "K=V" entries.
func maskEnv(env []string) []string {
	out := make([]string, len(env))
	for i, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if secretName(k) {
			v = mask
		}
		out[i] = k + "=" + maskURLs(v)
	}
	return out
}

func maskArgv(argv []string) []string {
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = maskURLs(a)
	}
	return out
}

// maskSpec returns s as `check` shows it unless secrets are shown: env
// values of secret-looking names and URL passwords (in env, commands and
// checks) replaced by ***.
func (o *Ovrfile) maskSpec(s unit.Spec) unit.Spec {
	if o.ShowSecrets {
		return s
	}
	s.Env = maskEnv(s.Env)
	s.Argv = maskArgv(s.Argv)
	s.Ready = slices.Clone(s.Ready)
	for i := range s.Ready {
		s.Ready[i].URL = maskURLs(s.Ready[i].URL)
		s.Ready[i].Argv = maskArgv(s.Ready[i].Argv)
	}
	return s
}
