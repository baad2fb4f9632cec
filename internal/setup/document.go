package setup

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Document is an IAM policy document (a role's trust or inline policy, a
// managed policy, a bucket policy). The file writes it as YAML, which reads
// better than JSON and takes comments, or as a string holding JSON; either
// way apply sends JSON. String values may hold references, resolved when
// the resource named exists: ${userPool:NAME} and ${identityPool:NAME} (the
// ids), ${client:POOL/NAME} (the client id), ${role:NAME} and
// ${policy:NAME} (the ARNs), ${oidcProvider:URL} (the ARN), ${restApi:NAME}
// (the REST API's id, for execute-api ARNs). IAM's own
// variables, like ${cognito-identity.amazonaws.com:sub}, pass through.
type Document struct {
	node *yaml.Node
}

// UnmarshalYAML keeps the document's nodes, with their lines.
func (d *Document) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		parsed, err := jsonToNode([]byte(n.Value))
		if err != nil {
			d.node = &yaml.Node{Kind: yaml.MappingNode, Line: n.Line} // reported once, here
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: the policy document is not JSON: %v", n.Line, err)}}
		}
		setLine(parsed, n.Line)
		d.node = parsed
		return nil
	}
	if line := aliasIn(n); line > 0 {
		d.node = &yaml.Node{Kind: yaml.MappingNode, Line: n.Line}
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: a policy document cannot use YAML aliases (*name)", line)}}
	}
	if n.Kind != yaml.MappingNode {
		d.node = &yaml.Node{Kind: yaml.MappingNode, Line: n.Line}
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: a policy document is a mapping (Version, Statement) or a JSON string", n.Line)}}
	}
	d.node = n
	return nil
}

// MarshalYAML writes the document as YAML.
func (d Document) MarshalYAML() (any, error) {
	if d.node == nil {
		return map[string]any{}, nil
	}
	return d.node, nil
}

// aliasIn returns the line of an alias below n, 0 when there is none.
// Documents are rendered by walking their nodes, which an alias would make
// a graph (&a [*a]) or an exponential tree.
func aliasIn(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode {
		return n.Line
	}
	for _, c := range n.Content {
		if line := aliasIn(c); line > 0 {
			return line
		}
	}
	return 0
}

func setLine(n *yaml.Node, line int) {
	n.Line = line
	for _, c := range n.Content {
		setLine(c, line)
	}
}

// docRef is a reference in a document: its kind, name and line.
type docRef struct {
	kind, name string
	line       int
}

// refKinds are the reference kinds a document may hold.
var refKinds = map[string]bool{"userPool": true, "client": true, "identityPool": true, "role": true, "policy": true, "oidcProvider": true, "restApi": true}

// parseRef reads "kind:name" as a reference.
func parseRef(inner string) (docRef, bool) {
	kind, name, ok := strings.Cut(inner, ":")
	if !ok || !refKinds[kind] || name == "" || strings.HasPrefix(name, "-") {
		return docRef{}, false
	}
	return docRef{kind: kind, name: name}, true
}

// refs lists the document's references.
func (d Document) refs() []docRef {
	var out []docRef
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			substitute(n.Value, true, func(inner string) (string, bool) {
				if r, ok := parseRef(inner); ok {
					r.line = n.Line
					out = append(out, r)
				}
				return "", false
			})
		}
		for _, c := range n.Content {
			visit(c)
		}
	}
	if d.node != nil {
		visit(d.node)
	}
	return out
}

// JSON renders the document as JSON, asking resolve for each reference.
func (d Document) JSON(resolve func(kind, name string) string) (string, error) {
	var buf bytes.Buffer
	if d.node == nil {
		return "{}", nil
	}
	if err := nodeJSON(&buf, d.node, resolve); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func nodeJSON(w *bytes.Buffer, n *yaml.Node, resolve func(kind, name string) string) error {
	switch n.Kind {
	case yaml.MappingNode:
		w.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSONString(w, n.Content[i].Value)
			w.WriteByte(':')
			if err := nodeJSON(w, n.Content[i+1], resolve); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	case yaml.SequenceNode:
		w.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := nodeJSON(w, c, resolve); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			w.WriteString("null")
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return err
			}
			w.WriteString(strconv.FormatBool(b))
		case "!!int", "!!float":
			if json.Valid([]byte(n.Value)) {
				w.WriteString(n.Value) // as written: 10, 1.5
				break
			}
			var f float64
			if err := n.Decode(&f); err != nil {
				return err
			}
			w.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
		default:
			writeJSONString(w, substitute(n.Value, true, func(inner string) (string, bool) {
				r, ok := parseRef(inner)
				if !ok || resolve == nil {
					return "", false
				}
				return resolve(r.kind, r.name), true
			}))
		}
	default:
		return fmt.Errorf("line %d: unexpected YAML node in a policy document", n.Line)
	}
	return nil
}

func writeJSONString(w *bytes.Buffer, s string) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	w.Truncate(w.Len() - 1)
}

// jsonToNode parses JSON into YAML nodes, keeping the order of keys so that
// an exported document reads as it was written.
func jsonToNode(data []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := jsonValue(dec, nil)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("text after the JSON value")
	}
	return n, nil
}

func jsonValue(dec *json.Decoder, rewrite func(string) string) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := jsonValue(dec, rewrite)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.(string)}, v)
			}
			_, err := dec.Token()
			return n, err
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for dec.More() {
				v, err := jsonValue(dec, rewrite)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
			_, err := dec.Token()
			return n, err
		}
	case string:
		if rewrite != nil {
			t = rewrite(t)
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(t.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// documentFromJSON is a document read from the server for export; rewrite
// turns each string value into what the file should say (a reference for
// an id, escapes for text that would otherwise be expanded).
func documentFromJSON(doc string, rewrite func(string) string) (Document, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	n, err := jsonValue(dec, rewrite)
	if err != nil {
		return Document{}, err
	}
	return Document{node: n}, nil
}

// sameJSON reports whether two JSON documents hold the same value, whatever
// their spacing and key order.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	return reflect.DeepEqual(x, y)
}
