// The -inspect mode of godecode: for each input (files, and optionally a key file), what Go's own encoding/pem,
// crypto/x509 and crypto/tls say, in the shape `certsd-lint inspect --format json` prints for the same fields
// (src/inspect/inspect.ts). test/oracle/inspect-harness.test.ts and the campaign compare the two.
package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

type inspectInput struct {
	ID    string   `json:"id"`
	Files []string `json:"files"`
	Key   *string  `json:"key,omitempty"`
}

type inspectBlock struct {
	Index   int               `json:"index"`
	Type    string            `json:"type"`
	Headers map[string]string `json:"headers"`
	Length  int               `json:"length"`
}

type inspectPublicKey struct {
	Algorithm string `json:"algorithm"`
	Bits      *int   `json:"bits,omitempty"`
	Curve     string `json:"curve,omitempty"`
}

type inspectCert struct {
	Block                       int               `json:"block"`
	Error                       *string           `json:"error"`
	DNSNames                    []string          `json:"dnsNames,omitempty"`
	IPAddresses                 []string          `json:"ipAddresses,omitempty"`
	EmailAddresses              []string          `json:"emailAddresses,omitempty"`
	URIs                        []string          `json:"uris,omitempty"`
	NotBefore                   string            `json:"notBefore,omitempty"`
	NotAfter                    string            `json:"notAfter,omitempty"`
	BasicConstraintsValid       *bool             `json:"basicConstraintsValid,omitempty"`
	IsCA                        *bool             `json:"isCA,omitempty"`
	MaxPathLen                  *string           `json:"maxPathLen,omitempty"`
	KeyUsage                    *int              `json:"keyUsage,omitempty"`
	UnhandledCriticalExtensions []string          `json:"unhandledCriticalExtensions,omitempty"`
	PublicKey                   *inspectPublicKey `json:"publicKey,omitempty"`
}

type inspectKey struct {
	Block     int     `json:"block"`
	Type      string  `json:"type"`
	Error     *string `json:"error"`
	Encoding  string  `json:"encoding,omitempty"`
	Algorithm string  `json:"algorithm,omitempty"`
	Bits      *int    `json:"bits,omitempty"`
	Curve     string  `json:"curve,omitempty"`
}

type inspectPool struct {
	Added []int `json:"added"`
}

type inspectFile struct {
	Blocks       []inspectBlock `json:"blocks"`
	RestLength   int            `json:"restLength"`
	Certificates []inspectCert  `json:"certificates"`
	Keys         []inspectKey   `json:"keys"`
	Pool         inspectPool    `json:"pool"`
	// Set when AppendCertsFromPEM over the whole file adds a different number than block by block (never expected).
	PoolMismatch string `json:"poolMismatch,omitempty"`
}

type inspectPair struct {
	Error *string `json:"error"`
}

type inspectOutput struct {
	ID    string        `json:"id"`
	Files []inspectFile `json:"files"`
	Pairs []inspectPair `json:"pairs,omitempty"`
}

func isKeyBlockType(t string) bool { return t == "PRIVATE KEY" || strings.HasSuffix(t, " PRIVATE KEY") }

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }

func inspectCertificate(block int, der []byte) inspectCert {
	o := inspectCert{Block: block}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		o.Error = str(err.Error())
		return o
	}
	o.DNSNames = c.DNSNames
	o.EmailAddresses = c.EmailAddresses
	for _, ip := range c.IPAddresses {
		o.IPAddresses = append(o.IPAddresses, ip.String())
	}
	for _, u := range c.URIs {
		o.URIs = append(o.URIs, u.String())
	}
	o.NotBefore = c.NotBefore.UTC().Format(time.RFC3339Nano)
	o.NotAfter = c.NotAfter.UTC().Format(time.RFC3339Nano)
	o.BasicConstraintsValid = boolp(c.BasicConstraintsValid)
	o.IsCA = boolp(c.IsCA)
	if c.BasicConstraintsValid {
		o.MaxPathLen = str(strconv.Itoa(c.MaxPathLen))
	}
	o.KeyUsage = intp(int(c.KeyUsage))
	for _, oid := range c.UnhandledCriticalExtensions {
		o.UnhandledCriticalExtensions = append(o.UnhandledCriticalExtensions, oid.String())
	}
	pk := &inspectPublicKey{}
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		pk.Algorithm = "rsa"
		pk.Bits = intp(k.N.BitLen())
	case *ecdsa.PublicKey:
		pk.Algorithm = "ecdsa"
		pk.Curve = k.Curve.Params().Name
	case ed25519.PublicKey:
		pk.Algorithm = "ed25519"
	default:
		if c.PublicKeyAlgorithm == x509.DSA {
			pk.Algorithm = "dsa"
		} else {
			pk.Algorithm = "unknown"
		}
	}
	o.PublicKey = pk
	return o
}

// inspectKeyBlock: tls.X509KeyPair's verdict on the key (with the fixed certificate, so only a parse error is
// reported), and which of parsePrivateKey's three decoders took it (src/crypto/tls/tls.go, Go 1.19).
func inspectKeyBlock(block int, blk *pem.Block, certPEM []byte) inspectKey {
	o := inspectKey{Block: block, Type: blk.Type}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: blk.Bytes})
	_, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil && (err.Error() == "tls: failed to parse private key" || err.Error() == "tls: found unknown private key type in PKCS#8 wrapping") {
		o.Error = str(err.Error())
		return o
	}
	var k interface{}
	if kk, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		o.Encoding, k = "pkcs1", kk
	} else if kk, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
		o.Encoding, k = "pkcs8", kk
	} else if kk, err := x509.ParseECPrivateKey(blk.Bytes); err == nil {
		o.Encoding, k = "sec1", kk
	}
	switch kk := k.(type) {
	case *rsa.PrivateKey:
		o.Algorithm, o.Bits = "rsa", intp(kk.N.BitLen())
	case *ecdsa.PrivateKey:
		o.Algorithm, o.Curve = "ecdsa", kk.Curve.Params().Name
		o.Bits = intp(kk.Curve.Params().BitSize)
	case ed25519.PrivateKey:
		o.Algorithm, o.Bits = "ed25519", intp(256)
	default:
		o.Error = str(fmt.Sprintf("godecode: key parsed by X509KeyPair but not by x509: %T", k))
	}
	return o
}

func inspectOne(data []byte, certPEM []byte) inspectFile {
	f := inspectFile{Blocks: []inspectBlock{}, Certificates: []inspectCert{}, Keys: []inspectKey{}, Pool: inspectPool{Added: []int{}}}
	pool := x509.NewCertPool()
	rest := data
	for i := 0; ; i++ {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		headers := blk.Headers
		if headers == nil {
			headers = map[string]string{}
		}
		f.Blocks = append(f.Blocks, inspectBlock{Index: i, Type: blk.Type, Headers: headers, Length: len(blk.Bytes)})
		if blk.Type == "CERTIFICATE" {
			f.Certificates = append(f.Certificates, inspectCertificate(i, blk.Bytes))
			if len(blk.Headers) == 0 {
				before := len(pool.Subjects()) //nolint:staticcheck // Subjects counts the pool
				pool.AppendCertsFromPEM(pem.EncodeToMemory(&pem.Block{Type: blk.Type, Bytes: blk.Bytes}))
				if len(pool.Subjects()) > before { //nolint:staticcheck
					f.Pool.Added = append(f.Pool.Added, i)
				}
			}
		} else if isKeyBlockType(blk.Type) {
			f.Keys = append(f.Keys, inspectKeyBlock(i, blk, certPEM))
		}
	}
	f.RestLength = len(rest)
	if len(f.Blocks) == 0 && len(data) > 0 {
		if c := inspectCertificate(-1, data); c.Error == nil {
			f.Certificates = append(f.Certificates, c)
		}
	}
	whole := x509.NewCertPool()
	whole.AppendCertsFromPEM(data)
	if n := len(whole.Subjects()); n != len(f.Pool.Added) { //nolint:staticcheck
		f.PoolMismatch = fmt.Sprintf("whole file adds %d, block by block %d", n, len(f.Pool.Added))
	}
	return f
}

func runInspect(files []string, keyFile string) {
	var ins []inspectInput
	if len(files) > 0 {
		in := inspectInput{ID: strings.Join(files, " ")}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			in.Files = append(in.Files, hex.EncodeToString(b))
		}
		if keyFile != "" {
			b, err := os.ReadFile(keyFile)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			h := hex.EncodeToString(b)
			in.Key = &h
		}
		ins = []inspectInput{in}
	} else if err := json.NewDecoder(os.Stdin).Decode(&ins); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	certPEM := pairCertPEM()
	outs := make([]inspectOutput, 0, len(ins))
	for _, in := range ins {
		o := inspectOutput{ID: in.ID, Files: []inspectFile{}}
		var datas [][]byte
		for _, h := range in.Files {
			b, err := hex.DecodeString(h)
			if err != nil {
				fmt.Fprintln(os.Stderr, in.ID, err)
				os.Exit(2)
			}
			datas = append(datas, b)
			o.Files = append(o.Files, inspectOne(b, certPEM))
		}
		if in.Key != nil {
			k, err := hex.DecodeString(*in.Key)
			if err != nil {
				fmt.Fprintln(os.Stderr, in.ID, err)
				os.Exit(2)
			}
			for _, b := range datas {
				p := inspectPair{}
				if _, err := tls.X509KeyPair(b, k); err != nil {
					p.Error = str(err.Error())
				}
				o.Pairs = append(o.Pairs, p)
			}
		}
		outs = append(outs, o)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(outs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
