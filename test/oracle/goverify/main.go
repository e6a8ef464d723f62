// goverify: Go's own crypto/x509 verification, for checking certsd-lint's handshake-time texts.
//
//	goverify -roots a.crt,b.crt [-leaf leaf.pem | -issuer ca.pem -issuer-key key.pem] -host NAME -now RFC3339 [-usage server|client]
//
// The pool is built as the runtimes build it (AppendCertsFromPEM over each file, no system roots). The leaf is a
// given certificate (a pinned server certificate, a client certificate with its chain), or a fresh server
// certificate for -host that the given CA key issues, as the registry's certificate would be. Prints one JSON line:
// {"error": "<Go's text>"} or {"error": null}.
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	roots := flag.String("roots", "", "comma-separated PEM files for the pool")
	leafFile := flag.String("leaf", "", "PEM file: leaf first, then intermediates")
	issuerFile := flag.String("issuer", "", "PEM CA certificate that issues a fresh server certificate")
	issuerKeyFile := flag.String("issuer-key", "", "PEM PKCS#8 key of -issuer")
	host := flag.String("host", "", "name to verify (server usage)")
	nowText := flag.String("now", "", "RFC 3339 time")
	usage := flag.String("usage", "server", "server or client")
	flag.Parse()

	now, err := time.Parse(time.RFC3339, *nowText)
	check(err)
	pool := x509.NewCertPool()
	for _, f := range strings.Split(*roots, ",") {
		if f == "" {
			continue
		}
		data, err := os.ReadFile(f)
		check(err)
		pool.AppendCertsFromPEM(data)
	}

	var leaf *x509.Certificate
	intermediates := x509.NewCertPool()
	if *leafFile != "" {
		data, err := os.ReadFile(*leafFile)
		check(err)
		for i := 0; ; i++ {
			var b *pem.Block
			b, data = pem.Decode(data)
			if b == nil {
				break
			}
			if b.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(b.Bytes)
			check(err)
			if leaf == nil {
				leaf = c
			} else {
				intermediates.AddCert(c)
			}
		}
	} else {
		issuer := parseCert(*issuerFile)
		key := parseKey(*issuerKeyFile)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(424242),
			Subject:      pkix.Name{CommonName: *host},
			NotBefore:    now.Add(-24 * time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}
		if ip := net.ParseIP(*host); ip != nil {
			tmpl.IPAddresses = []net.IP{ip}
		} else {
			tmpl.DNSNames = []string{*host}
		}
		// The leaf's own key does not matter to verification; reuse the issuer's public key.
		der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.(crypto.Signer).Public(), key)
		check(err)
		leaf, err = x509.ParseCertificate(der)
		check(err)
	}

	opts := x509.VerifyOptions{Roots: pool, Intermediates: intermediates, CurrentTime: now}
	if *usage == "client" {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	} else {
		opts.DNSName = *host
	}
	_, verr := leaf.Verify(opts)
	out := map[string]interface{}{"error": nil, "go": strings.TrimPrefix(goVersion(), "go")}
	if verr != nil {
		out["error"] = verr.Error()
	}
	check(json.NewEncoder(os.Stdout).Encode(out))
}

func parseCert(f string) *x509.Certificate {
	data, err := os.ReadFile(f)
	check(err)
	b, _ := pem.Decode(data)
	if b == nil {
		check(fmt.Errorf("%s: no PEM", f))
	}
	c, err := x509.ParseCertificate(b.Bytes)
	check(err)
	return c
}

func parseKey(f string) interface{} {
	data, err := os.ReadFile(f)
	check(err)
	b, _ := pem.Decode(data)
	if b == nil {
		check(fmt.Errorf("%s: no PEM", f))
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	check(err)
	return k
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "goverify:", err)
		os.Exit(2)
	}
}
