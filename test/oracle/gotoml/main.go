// gotoml decodes hosts.toml documents the way containerd does, with go-toml itself, and prints what came out:
//
//   - v1: containerd v1.6.20 remotes/docker/config/hosts.go parseHostsFile: toml.LoadBytes (error wrapped as
//     "failed to parse TOML: %w"), then the `host` tree looked up by exact key and its keys sorted by line
//     (getSortedHosts; "invalid `host` tree" when it is not a table), then tree.Unmarshal into the struct below.
//   - v2: containerd v2.x core/remotes/docker/config/hosts.go parseHostsFile: the `[host.X]` table headers in
//     order through go-toml/v2/unstable.Parser (parser errors ignored there), then toml.Unmarshal.
//
// The struct shapes are containerd's hostFileConfig (v1.6: without dial_timeout; v2.1 and later: with it) and its
// anonymous wrapper (same field types and tags; go-toml v2 names both in its type-mismatch texts). Only the
// decoding is done here; containerd's own validation (parseHostConfig) is modelled and tested in TypeScript.
//
// Input on stdin: a JSON array of base64 documents. Output: a JSON array, one {"v1": …, "v2": …} per document.
// Build (no modules, Debian's go-toml sources):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o gotoml ./test/oracle/gotoml
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"

	tomlv1 "github.com/pelletier/go-toml"
	tomlv2 "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

type hostFileConfig struct {
	Capabilities []string               `toml:"capabilities" json:"capabilities"`
	CACert       interface{}            `toml:"ca" json:"ca"`
	Client       interface{}            `toml:"client" json:"client"`
	SkipVerify   *bool                  `toml:"skip_verify" json:"skip_verify"`
	Header       map[string]interface{} `toml:"header" json:"header"`
	OverridePath bool                   `toml:"override_path" json:"override_path"`
	DialTimeout  string                 `toml:"dial_timeout" json:"dial_timeout,omitempty"`
}

// hostFileConfigV1 is containerd v1.6's hostFileConfig: no dial_timeout (a key from v2.1.0).
type hostFileConfigV1 struct {
	Capabilities []string               `toml:"capabilities" json:"capabilities"`
	CACert       interface{}            `toml:"ca" json:"ca"`
	Client       interface{}            `toml:"client" json:"client"`
	SkipVerify   *bool                  `toml:"skip_verify" json:"skip_verify"`
	Header       map[string]interface{} `toml:"header" json:"header"`
	OverridePath bool                   `toml:"override_path" json:"override_path"`
}

// HostFileConfig: go-toml v1 skips unexported embedded structs, so containerd 1.6 embeds an exported alias.
type HostFileConfig = hostFileConfigV1

type result struct {
	Error  *string     `json:"error,omitempty"`
	Panic  *string     `json:"panic,omitempty"`
	Hosts  []string    `json:"hosts"`
	Top    interface{} `json:"top,omitempty"`
	Server string      `json:"server"`
	Config interface{} `json:"config"`
}

func fail(err error) result {
	s := err.Error()
	return result{Error: &s}
}

func decodeV1(b []byte) (r result) {
	defer func() {
		if p := recover(); p != nil {
			s := fmt.Sprint(p)
			r = result{Panic: &s}
		}
	}()
	tree, err := tomlv1.LoadBytes(b)
	if err != nil {
		return fail(fmt.Errorf("failed to parse TOML: %w", err))
	}
	iter, ok := tree.Get("host").(*tomlv1.Tree)
	if !ok {
		return fail(errors.New("invalid `host` tree"))
	}
	list := append([]string{}, iter.Keys()...)
	sort.Slice(list, func(i, j int) bool {
		return iter.GetPath([]string{list[i]}).(*tomlv1.Tree).Position().Line < iter.GetPath([]string{list[j]}).(*tomlv1.Tree).Position().Line
	})
	// containerd's anonymous struct (its type's name is part of go-toml v2's type-mismatch texts).
	c := struct {
		HostFileConfig
		Server      string                      `toml:"server"`
		HostConfigs map[string]hostFileConfigV1 `toml:"host"`
	}{}
	if err := tree.Unmarshal(&c); err != nil {
		return fail(err)
	}
	return result{Hosts: list, Top: c.HostFileConfig, Server: c.Server, Config: c.HostConfigs}
}

func decodeV2(b []byte) (r result) {
	defer func() {
		if p := recover(); p != nil {
			s := fmt.Sprint(p)
			r = result{Panic: &s}
		}
	}()
	hosts := []string{}
	p := unstable.Parser{}
	p.Reset(b)
	host := ""
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.Table {
			continue
		}
		var parts []string
		for it := e.Key(); it.Next(); {
			parts = append(parts, string(it.Node().Data))
		}
		if len(parts) < 2 || parts[0] != "host" || parts[1] == host {
			continue
		}
		host = parts[1]
		hosts = append(hosts, host)
	}
	c := struct {
		hostFileConfig
		Server      string                    `toml:"server"`
		HostConfigs map[string]hostFileConfig `toml:"host"`
	}{}
	if err := tomlv2.Unmarshal(b, &c); err != nil {
		return fail(err)
	}
	return result{Hosts: hosts, Top: c.hostFileConfig, Server: c.Server, Config: c.HostConfigs}
}

func main() {
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]map[string]result, 0, len(docs))
	for _, d := range docs {
		b, err := base64.StdEncoding.DecodeString(d)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		out = append(out, map[string]result{"v1": decodeV1(b), "v2": decodeV2(b)})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
