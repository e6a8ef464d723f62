// godecode runs Go's own decoders over inputs and prints what they return, for test/oracle/godecode.test.ts.
//
// Input (stdin): a JSON array of {"id": string, "kind": "key"|"cert"|"pem"|"pair", "hex": string, "hex2": string}.
// Or files: `godecode -kind cert|key|pem FILE...` (each file's bytes as one input; a key or cert file may be PEM,
// whose first block is used) and `godecode -kind pair CERTFILE KEYFILE`.
// Output (stdout): a JSON array, one object per input, in order:
//   - key:  tls.X509KeyPair's key parsing: "error" is the error X509KeyPair returns when the key block cannot be
//     parsed ("tls: failed to parse private key", "tls: found unknown private key type in PKCS#8 wrapping"),
//     null when the key parsed (X509KeyPair then fails only on the match with its fixed certificate);
//     "type" is the parsed key's Go type (as tls.parsePrivateKey returns it);
//   - cert: x509.ParseCertificate: "error", or a few fields as Go prints them;
//   - pair: tls.X509KeyPair(certificate file, key file): "error", null when the pair loads;
//   - pem:  the blocks pem.Decode returns in a loop (type, headers, bytes as hex), and how many certificates
//     (*x509.CertPool).AppendCertsFromPEM takes from the same bytes.
//
// Or `godecode -inspect` (stdin: a JSON array of {"id": string, "files": [hex...], "key": hex}; or
// `godecode -inspect FILE... [-key KEYFILE]`): for each input, the part of `certsd-lint inspect --format json` that Go
// itself can tell, in inspect's shape (see inspect.go).
//
// Standard library only.
package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os"
	"time"
)

type input struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Hex  string `json:"hex"`
	// pair: the key file (Hex is the certificate file)
	Hex2 string `json:"hex2,omitempty"`
}

type pemBlock struct {
	Type    string            `json:"type"` // hex: a type need not be UTF-8
	Headers map[string]string `json:"headers"`
	Hex     string            `json:"hex"`
}

type output struct {
	ID    string  `json:"id"`
	Error *string `json:"error"`
	// key
	Type string `json:"type,omitempty"`
	// cert
	Subject               string   `json:"subject,omitempty"`
	DNSNames              []string `json:"dnsNames,omitempty"`
	EmailAddresses        []string `json:"emailAddresses,omitempty"`
	IPAddresses           []string `json:"ipAddresses,omitempty"`
	URIs                  []string `json:"uris,omitempty"`
	NotBefore             string   `json:"notBefore,omitempty"`
	NotAfter              string   `json:"notAfter,omitempty"`
	BasicConstraintsValid bool     `json:"basicConstraintsValid,omitempty"`
	IsCA                  bool     `json:"isCA,omitempty"`
	MaxPathLen            *int     `json:"maxPathLen,omitempty,string"`
	UnhandledCritical     []string `json:"unhandledCritical,omitempty"`
	// pem
	Blocks []pemBlock `json:"blocks,omitempty"`
	Pool   *int       `json:"pool,omitempty"`
}

// pairCertPEM is a fixed Ed25519 certificate, so that X509KeyPair gets as far as parsing the key.
func pairCertPEM() []byte {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = 0x42
	}
	key := ed25519.NewKeyFromSeed(seed)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "godecode"},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// keyType mirrors crypto/tls parsePrivateKey (src/crypto/tls/tls.go, Go 1.19) with the public x509 functions, to
// name the type it returns; the error itself comes from tls.X509KeyPair.
func keyType(der []byte) string {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return fmt.Sprintf("%T", k)
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return fmt.Sprintf("%T", k)
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return fmt.Sprintf("%T", k)
	}
	return ""
}

func str(s string) *string { return &s }

// fileInputs turns command-line files into inputs.
func fileInputs(kind string, files []string) []input {
	read := func(f string) []byte {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if kind == "key" || kind == "cert" {
			if blk, _ := pem.Decode(b); blk != nil {
				return blk.Bytes
			}
		}
		return b
	}
	if kind == "pair" {
		if len(files) != 2 {
			fmt.Fprintln(os.Stderr, "pair: CERTFILE KEYFILE")
			os.Exit(2)
		}
		return []input{{ID: files[0] + " " + files[1], Kind: kind, Hex: hex.EncodeToString(read(files[0])), Hex2: hex.EncodeToString(read(files[1]))}}
	}
	var ins []input
	for _, f := range files {
		ins = append(ins, input{ID: f, Kind: kind, Hex: hex.EncodeToString(read(f))})
	}
	return ins
}

func main() {
	kind := flag.String("kind", "", "with FILE arguments: key, cert, pem or pair")
	inspectMode := flag.Bool("inspect", false, "print inspect's JSON for FILE arguments (or stdin inputs)")
	keyFile := flag.String("key", "", "with -inspect: a key file for tls.X509KeyPair(FILE, key)")
	flag.Parse()
	if *inspectMode {
		runInspect(flag.Args(), *keyFile)
		return
	}
	var ins []input
	if *kind != "" {
		ins = fileInputs(*kind, flag.Args())
	} else if err := json.NewDecoder(os.Stdin).Decode(&ins); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	certPEM := pairCertPEM()
	outs := make([]output, 0, len(ins))
	for _, in := range ins {
		b, err := hex.DecodeString(in.Hex)
		if err != nil {
			fmt.Fprintln(os.Stderr, in.ID, err)
			os.Exit(2)
		}
		o := output{ID: in.ID}
		switch in.Kind {
		case "key":
			keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b})
			_, err := tls.X509KeyPair(certPEM, keyPEM)
			if err != nil && (err.Error() == "tls: failed to parse private key" || err.Error() == "tls: found unknown private key type in PKCS#8 wrapping") {
				o.Error = str(err.Error())
			}
			t := keyType(b)
			if o.Error == nil {
				switch t {
				case fmt.Sprintf("%T", &rsa.PrivateKey{}), fmt.Sprintf("%T", &ecdsa.PrivateKey{}), fmt.Sprintf("%T", ed25519.PrivateKey{}):
				default:
					o.Error = str("godecode: key parsed by X509KeyPair but not by x509: " + t)
				}
			}
			o.Type = t
		case "cert":
			c, err := x509.ParseCertificate(b)
			if err != nil {
				o.Error = str(err.Error())
				break
			}
			o.Subject = c.Subject.String()
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
			o.BasicConstraintsValid = c.BasicConstraintsValid
			o.IsCA = c.IsCA
			if c.BasicConstraintsValid {
				m := c.MaxPathLen
				o.MaxPathLen = &m
			}
			for _, oid := range c.UnhandledCriticalExtensions {
				o.UnhandledCritical = append(o.UnhandledCritical, oid.String())
			}
		case "pair":
			k, err := hex.DecodeString(in.Hex2)
			if err != nil {
				fmt.Fprintln(os.Stderr, in.ID, err)
				os.Exit(2)
			}
			if _, err := tls.X509KeyPair(b, k); err != nil {
				o.Error = str(err.Error())
			}
		case "pem":
			o.Blocks = []pemBlock{}
			rest := b
			for {
				var blk *pem.Block
				blk, rest = pem.Decode(rest)
				if blk == nil {
					break
				}
				o.Blocks = append(o.Blocks, pemBlock{Type: hex.EncodeToString([]byte(blk.Type)), Headers: blk.Headers, Hex: hex.EncodeToString(blk.Bytes)})
			}
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(b)
			n := len(pool.Subjects()) //nolint:staticcheck // Subjects is what counts the pool here
			o.Pool = &n
		default:
			fmt.Fprintln(os.Stderr, in.ID, "unknown kind", in.Kind)
			os.Exit(2)
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
