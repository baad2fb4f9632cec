package setup

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong with a setup file, at a line of it.
type Problem struct {
	File string
	Line int
	Msg  string
}

// String writes the problem as file:line: message, the form editors and
// terminals turn into a link.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Msg
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Msg
}

// Problems are every problem found in a file, in line order; Load returns
// them all at once, as dex's config validation does, so that one run shows
// the whole list.
type Problems []Problem

// Error lists the problems, one a line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadFile reads and checks the setup file at path; see Load.
func LoadFile(path string, lookup func(string) (string, bool)) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data, lookup)
}

// Load parses a setup file named name. It is strict: a field the format
// does not have is an error, not ignored. ${VAR} and ${VAR:-default} in any
// value are replaced with lookup's answer (os.LookupEnv for the CLI); $${
// writes a literal ${. ${...} holding anything but a variable name, like
// IAM's ${aws:username} or a reference (${role:name}), is left as it is.
// The result is validated; every problem comes back at once as Problems.
func Load(name string, data []byte, lookup func(string) (string, bool)) (*File, error) {
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	l := &loader{name: name, lookup: lookup, lines: map[string]int{}, active: map[*yaml.Node]bool{}}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{l.yamlProblem(err.Error())}
	}
	f := &File{name: name, lines: l.lines}
	if len(root.Content) == 0 {
		return f, nil // an empty file sets up nothing
	}
	doc := root.Content[0]
	l.walk(doc, reflect.TypeOf(File{}), "")
	var te *yaml.TypeError
	if err := doc.Decode(f); errors.As(err, &te) {
		for _, msg := range te.Errors {
			l.probs = append(l.probs, l.yamlProblem(msg))
		}
	} else if err != nil {
		l.probs = append(l.probs, l.yamlProblem(err.Error()))
	}
	f.name, f.lines = name, l.lines
	l.probs = append(l.probs, f.validate()...)
	if len(l.probs) > 0 {
		sort.SliceStable(l.probs, func(i, j int) bool { return l.probs[i].Line < l.probs[j].Line })
		return nil, l.probs
	}
	return f, nil
}

type loader struct {
	name   string
	lookup func(string) (string, bool)
	lines  map[string]int
	probs  Problems
	// active are the nodes being walked, visited counts them all: see walk.
	active    map[*yaml.Node]bool
	visited   int
	aliasLine int
}

// line is n's line, or the alias's when n is reached through one.
func (l *loader) line(n *yaml.Node) int {
	if l.aliasLine != 0 {
		return l.aliasLine
	}
	return n.Line
}

// maxNodes bounds the values a file may hold once its aliases are followed.
const maxNodes = 100000

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlProblem places one of yaml.v3's messages ("line 3: ...") at its line.
func (l *loader) yamlProblem(msg string) Problem {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{File: l.name, Line: n, Msg: m[2]}
	}
	return Problem{File: l.name, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

func (l *loader) problem(line int, format string, args ...any) {
	l.probs = append(l.probs, Problem{File: l.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

var documentType = reflect.TypeOf(Document{})

// walk checks node n against type t before yaml.v3 decodes it: it reports
// fields t does not have (yaml.v3's Node.Decode would drop them silently),
// records each node's line by path for later messages, and expands
// environment variables in scalars.
func (l *loader) walk(n *yaml.Node, t reflect.Type, path string) {
	if path != "" {
		if _, seen := l.lines[path]; !seen {
			l.lines[path] = l.line(n)
		}
	}
	// An alias is checked as its anchor's node in this place, since the
	// type here may differ. An alias inside its own anchor (&a [*a]) would
	// loop, and nested aliases can blow a small file up exponentially: both
	// stop here, as yaml.v3's decoder stops them.
	if l.visited++; l.visited > maxNodes {
		if l.visited == maxNodes+1 {
			l.problem(n.Line, "the file expands to more than %d values through its aliases", maxNodes)
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		if l.active[n.Alias] {
			l.problem(l.line(n), "alias *%s is inside its own anchor", n.Value)
			return
		}
		if l.aliasLine == 0 {
			// What is wrong below an alias is reported at the alias.
			l.aliasLine = n.Line
			defer func() { l.aliasLine = 0 }()
		}
		n = n.Alias
	}
	l.active[n] = true
	defer delete(l.active, n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == documentType {
		l.expandAll(n, true)
		return
	}
	switch {
	case n.Kind == yaml.ScalarNode:
		l.expandScalar(n, false)
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		// A key given twice is reported by yaml.v3's decoder.
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				l.problem(l.line(k), "unknown field %q in %s (known: %s)", k.Value, describePath(path), strings.Join(sortedKeys(fields), ", "))
				continue
			}
			l.lines[join(path, k.Value)] = l.line(k)
			l.walk(v, ft, join(path, k.Value))
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			l.walk(c, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			l.walk(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value))
		}
	}
	// Anything else is a shape mismatch that Decode reports with its line.
}

// expandAll expands variables in every scalar below n (a policy document).
func (l *loader) expandAll(n *yaml.Node, doc bool) {
	if n.Kind == yaml.ScalarNode {
		l.expandScalar(n, doc)
		return
	}
	for _, c := range n.Content {
		l.expandAll(c, doc)
	}
}

// expandScalar replaces ${VAR} in a scalar. In a document $${ stays until
// references are resolved, which unescapes it; elsewhere it is unescaped
// now. An unquoted scalar that held a variable is typed again from its new
// value, so that `maxAgeSeconds: ${MAX_AGE}` decodes as a number.
func (l *loader) expandScalar(n *yaml.Node, doc bool) {
	if !strings.Contains(n.Value, "${") {
		return
	}
	v := substitute(n.Value, !doc, func(inner string) (string, bool) {
		name, def, hasDef := strings.Cut(inner, ":-")
		if !envName.MatchString(name) {
			return "", false
		}
		if val, ok := l.lookup(name); ok && (val != "" || !hasDef) {
			return val, true
		}
		if hasDef {
			return def, true
		}
		l.problem(n.Line, "${%s} is not set in the environment (write ${%s:-default} for a default, $${%s} for a literal)", name, name, name)
		return "", true
	})
	if v != n.Value {
		n.Value = v
		if n.Style == 0 && !doc {
			n.Tag = ""
		}
	}
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// substitute replaces each ${inner} for which f answers true. $${ is an
// escape: it is written as ${ when unescape is set, kept as $${ otherwise
// (for a later pass), and never substituted.
func substitute(s string, unescape bool, f func(inner string) (string, bool)) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "$${") {
			if unescape {
				b.WriteString("${")
			} else {
				b.WriteString("$${")
			}
			i += 3
			continue
		}
		if strings.HasPrefix(s[i:], "${") {
			if j := strings.IndexByte(s[i+2:], '}'); j >= 0 {
				if v, ok := f(s[i+2 : i+2+j]); ok {
					b.WriteString(v)
					i += j + 3
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// escape is substitute's inverse for export: it writes $${ for each ${
// that Load would otherwise expand (a variable name, or a reference when
// doc is set), or that follows a $.
func escape(s string, doc bool) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "${") {
			j := strings.IndexByte(s[i+2:], '}')
			inner := ""
			if j >= 0 {
				inner = s[i+2 : i+2+j]
			}
			name, _, _ := strings.Cut(inner, ":-")
			_, isRef := parseRef(inner)
			if envName.MatchString(name) || (doc && isRef) || (i > 0 && s[i-1] == '$') {
				b.WriteByte('$')
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// yamlFields maps a struct's YAML keys to their field types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describePath names a path for a message: "the file" at the top.
func describePath(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}
