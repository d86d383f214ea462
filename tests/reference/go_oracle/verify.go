// Command verify is the test suite's Go oracle: it runs crypto/x509 Certificate.Verify on a
// batch of cases and prints one JSON result per case, so certlib's go profile can be compared
// with the real thing (tests/oracles/test_go_verify.py). Standard library only.
//
// Input (stdin): {"cases": [{"id", "leaf", "intermediates", "roots", "key_usage", "time",
// "dns_name"}]} with PEM strings and an RFC 3339 time. Output (stdout): the first line is
// {"version": runtime.Version(), "default_godebug": ..., "godebug_env": ..., "godebug": {...}},
// then one {"id", "ok", "error"} line per case. A pool certificate Go cannot parse is left out
// of its pool (as CertPool.AppendCertsFromPEM does); a leaf it cannot parse is reported as
// "parse: <error>".
//
// GODEBUG: built without a go.mod, a program gets Go 1.20's compatibility defaults
// (x509negativeserial=1, rsa1024min=0, ...), not the toolchain's. The directive below pins the
// defaults of the release certlib's go profile models, so the oracle answers as a Go 1.27
// module would. The first line reports what the binary runs with: the build's DefaultGODEBUG
// (empty when nothing differs from the toolchain's defaults), the GODEBUG environment variable,
// and the resulting value of each setting crypto/x509 and crypto/rsa read ("" = the default).
//
//go:debug default=go1.27
package main

import (
	"bufio"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

type testCase struct {
	ID            string   `json:"id"`
	Leaf          string   `json:"leaf"`
	Intermediates []string `json:"intermediates"`
	Roots         []string `json:"roots"`
	KeyUsage      string   `json:"key_usage"`
	Time          string   `json:"time"`
	DNSName       string   `json:"dns_name"`
}

type result struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

var usages = map[string]x509.ExtKeyUsage{
	"ExtKeyUsageServerAuth":      x509.ExtKeyUsageServerAuth,
	"ExtKeyUsageClientAuth":      x509.ExtKeyUsageClientAuth,
	"ExtKeyUsageCodeSigning":     x509.ExtKeyUsageCodeSigning,
	"ExtKeyUsageEmailProtection": x509.ExtKeyUsageEmailProtection,
	"ExtKeyUsageTimeStamping":    x509.ExtKeyUsageTimeStamping,
	"ExtKeyUsageOCSPSigning":     x509.ExtKeyUsageOCSPSigning,
}

func parse(p string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		return nil, fmt.Errorf("no PEM block")
	}
	return x509.ParseCertificate(block.Bytes)
}

func pool(pems []string) *x509.CertPool {
	out := x509.NewCertPool()
	for _, p := range pems {
		if c, err := parse(p); err == nil {
			out.AddCert(c)
		}
	}
	return out
}

func run(c testCase) result {
	leaf, err := parse(c.Leaf)
	if err != nil {
		return result{ID: c.ID, Error: "parse: " + err.Error()}
	}
	at, err := time.Parse(time.RFC3339, c.Time)
	if err != nil {
		return result{ID: c.ID, Error: "bad time: " + err.Error()}
	}
	usage, ok := usages[c.KeyUsage]
	if !ok {
		return result{ID: c.ID, Error: "unknown key usage " + c.KeyUsage}
	}
	_, err = leaf.Verify(x509.VerifyOptions{
		Roots:         pool(c.Roots),
		Intermediates: pool(c.Intermediates),
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{usage},
		DNSName:       c.DNSName,
	})
	if err != nil {
		return result{ID: c.ID, Error: err.Error()}
	}
	return result{ID: c.ID, OK: true}
}

// cryptoSettings are the GODEBUG settings crypto/x509 and crypto/rsa consult
// (internal/godebugs/table.go, Go 1.27).
var cryptoSettings = []string{
	"rsa1024min", "x509negativeserial", "x509rsacrt", "x509sha256skid",
	"x509sslcertoverrideplatform", "x509usefallbackroots", "x509usepolicies",
}

// godebug is what the runtime resolves each setting to: the build's DefaultGODEBUG, then the
// GODEBUG environment variable (later entries win, as in internal/godebug).
func godebug() (string, map[string]string) {
	defaults := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "DefaultGODEBUG" {
				defaults = s.Value
			}
		}
	}
	values := map[string]string{}
	for _, name := range cryptoSettings {
		values[name] = ""
	}
	for _, list := range []string{defaults, os.Getenv("GODEBUG")} {
		for _, kv := range strings.Split(list, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				if _, known := values[k]; known {
					values[k] = v
				}
			}
		}
	}
	return defaults, values
}

func main() {
	var in struct {
		Cases []testCase `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	defaults, values := godebug()
	enc.Encode(map[string]any{
		"version":         runtime.Version(),
		"default_godebug": defaults,
		"godebug_env":     os.Getenv("GODEBUG"),
		"godebug":         values,
	})
	for _, c := range in.Cases {
		enc.Encode(run(c))
	}
}
