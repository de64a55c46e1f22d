package starlib

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"API_TOKEN": true, "SECRET_KEY_BASE": true, "DB_PASSWORD": true, "db_passwd": true,
		"KEY": true, "AWS_CREDENTIALS": true, "GITHUB_TOKEN_2": true,
		"KEYBOARD": false, "MONKEY": false, "TOKENS": false, "PORT": false, "PASSWORDLESS": false,
	} {
		if got := secretName(name); got != want {
			t.Errorf("secretName(%q) = %v, want %v", name, got, want)
		}
	}
}

// check and check --json mask secret-looking values and URL passwords
// unless --show-secrets.
func TestPlanMasksSecrets(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "Ovrfile.star"), `
process("api", ["./api", "--db", "postgres://u:hunter2@db:5432/x"],
    env = {"API_TOKEN": "s3cr3t-value", "SECRET_KEY_BASE": "abc123xyz", "PORT": "8080",
           "DATABASE_URL": "postgres://app:pa55word@localhost/app", "KEYBOARD": "qwerty"},
    ready = ready.http("http://admin:letmein@localhost:8080/health"))
`)
	o, err := Load(filepath.Join(dir, "Ovrfile.star"), testOpts())
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"s3cr3t-value", "abc123xyz", "hunter2", "pa55word", "letmein"}
	for _, show := range []bool{false, true} {
		o.ShowSecrets = show
		var text, js bytes.Buffer
		if err := o.WritePlan(&text); err != nil {
			t.Fatal(err)
		}
		if err := o.WritePlanJSON(&js); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{text.String(), js.String()} {
			for _, s := range secrets {
				if strings.Contains(out, s) != show {
					t.Errorf("ShowSecrets=%v: %q shown=%v in\n%s", show, s, !show, out)
				}
			}
			for _, kept := range []string{"PORT=8080", "KEYBOARD=qwerty", "postgres://app:", "@localhost/app"} {
				if !strings.Contains(out, kept) {
					t.Errorf("ShowSecrets=%v: %q missing from\n%s", show, kept, out)
				}
			}
			if !show && (!strings.Contains(out, "API_TOKEN=***") || !strings.Contains(out, "postgres://u:***@db:5432/x")) {
				t.Errorf("masked plan lacks API_TOKEN=*** or the masked URL:\n%s", out)
			}
		}
	}
}
