package woosim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Server is a simulated shop listening on loopback.
type Server struct {
	// URL is the shop's base URL, "http://127.0.0.1:PORT" or "https://…".
	URL string
	Sim *Sim
	// CertPEM and CertSHA256 (hex of the DER certificate's SHA-256) are
	// set when the server speaks TLS, with a self-signed certificate for
	// 127.0.0.1, ::1 and localhost.
	CertPEM    []byte
	CertSHA256 string

	srv  *http.Server
	done chan struct{}
}

// Start builds a shop from o and serves it on 127.0.0.1 on a free port.
func Start(o Options, useTLS bool) (*Server, error) {
	return StartOn(New(o), "127.0.0.1:0", useTLS)
}

// StartOn serves sim on addr, which must be a loopback address
// ("127.0.0.1:8080", "localhost:0", "[::1]:0").
func StartOn(sim *Sim, addr string, useTLS bool) (*Server, error) {
	if err := CheckLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Sim:  sim,
		srv:  &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: serverLog(sim.verbose)},
		done: make(chan struct{}),
	}
	scheme := "http"
	if useTLS {
		cert, der, err := selfSignedCert()
		if err != nil {
			ln.Close()
			return nil, err
		}
		s.CertPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		sum := sha256.Sum256(der)
		s.CertSHA256 = hex.EncodeToString(sum[:])
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	s.URL = scheme + "://" + ln.Addr().String()
	u := s.URL
	sim.baseURL.Store(&u)
	go func() {
		defer close(s.done)
		s.srv.Serve(ln)
	}()
	return s, nil
}

// serverLog is the http.Server's error log: clients that refuse the
// self-signed certificate, connections the faults reset and the like are
// no news, so it is discarded unless verbose.
func serverLog(verbose bool) *log.Logger {
	if verbose {
		return log.New(os.Stderr, "woosim: ", log.LstdFlags)
	}
	return log.New(io.Discard, "", 0)
}

// Close stops the server at once, dropping open connections.
func (s *Server) Close() {
	s.srv.Close()
	<-s.done
}

// Shutdown stops the server gracefully: no new connections, and requests
// under way may finish until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	<-s.done
	return err
}

// CheckLoopback returns an error unless addr (host:port) names a loopback
// address: the simulator never listens on a network.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("woosim: listen address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errors.New("woosim: refusing to listen on " + addr + ": only loopback addresses (127.0.0.1, ::1, localhost) are allowed")
	}
	return nil
}

// selfSignedCert makes a fresh ECDSA P-256 certificate for the loopback
// names, valid from a day ago for 30 days.
func selfSignedCert() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "woosim", Organization: []string{"ShopLedger woosim"}},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, der, nil
}
