package woo

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// pinned returns a copy of hc that accepts exactly the certificate whose
// SHA-256 is pin. Chain and host name are not checked — the user has
// confirmed this very certificate — but any other certificate is refused.
func pinned(hc *http.Client, pin string) (*http.Client, error) {
	want, err := parseFingerprint(pin)
	if err != nil {
		return nil, err
	}
	base, ok := hc.Transport.(*http.Transport)
	if hc.Transport == nil {
		base, ok = http.DefaultTransport.(*http.Transport), true
	}
	if !ok {
		return nil, &Error{Op: "configure shop", Kind: KindBadConfig, Message: "certificate pinning needs a standard HTTP transport"}
	}
	tr := base.Clone()
	tr.TLSClientConfig = &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin check below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the shop sent no certificate")
			}
			got := sha256.Sum256(cs.PeerCertificates[0].Raw)
			if got != want {
				return &PinMismatchError{Want: hex.EncodeToString(want[:]), Got: hex.EncodeToString(got[:])}
			}
			return nil
		},
	}
	copy := *hc
	copy.Transport = tr
	return &copy, nil
}

// PinMismatchError means the shop now presents a different certificate
// than the one the user trusted.
type PinMismatchError struct{ Want, Got string }

func (e *PinMismatchError) Error() string {
	return fmt.Sprintf("the shop's certificate changed (trusted %s…, now %s…)", e.Want[:16], e.Got[:16])
}

func parseFingerprint(s string) ([32]byte, error) {
	var fp [32]byte
	clean := strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(s))
	b, err := hex.DecodeString(clean)
	if err != nil || len(b) != 32 {
		return fp, &Error{Op: "configure shop", Kind: KindBadConfig, Message: "the certificate fingerprint must be 64 hex digits (SHA-256)"}
	}
	copy(fp[:], b)
	return fp, nil
}

// CertInfo describes a shop's certificate so the user can decide whether
// to trust it.
type CertInfo struct {
	SHA256    string // hex, lowercase, no separators
	Subject   string
	Issuer    string
	DNSNames  []string
	NotBefore time.Time
	NotAfter  time.Time
	// Problem is why normal verification refused it, if it did.
	Problem string
}

// FetchCertificate connects to an https shop and returns its certificate
// without trusting it, and whether normal verification accepts it. No
// request is sent, so no credentials travel.
func FetchCertificate(ctx context.Context, shopURL string) (*CertInfo, error) {
	u, err := ParseShopURL(shopURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" {
		return nil, &Error{Op: "fetch certificate", Kind: KindBadConfig, Message: "the address is not https://"}
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, ServerName: u.Hostname()}} // only to read the certificate
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, transportError("fetch certificate", err)
	}
	defer conn.Close()
	cs := conn.(*tls.Conn).ConnectionState()
	if len(cs.PeerCertificates) == 0 {
		return nil, &Error{Op: "fetch certificate", Kind: KindTLS, Message: "the shop sent no certificate"}
	}
	leaf := cs.PeerCertificates[0]
	sum := sha256.Sum256(leaf.Raw)
	info := &CertInfo{SHA256: hex.EncodeToString(sum[:]), Subject: leaf.Subject.String(), Issuer: leaf.Issuer.String(),
		DNSNames: leaf.DNSNames, NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: u.Hostname(), Intermediates: inter}); err != nil {
		info.Problem = err.Error()
	}
	return info, nil
}
