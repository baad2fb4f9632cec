package setup

import (
	"bytes"
	"reflect"
	"regexp"

	"gopkg.in/yaml.v3"
)

// WriteExport writes f as Export's file: the header, then f.
func WriteExport(f *File, notes []string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(exportHeader)
	for _, n := range notes {
		buf.WriteString("# NOTE: " + n + "\n")
	}
	body, err := f.Marshal()
	if err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	buf.Write(body)
	return buf.Bytes(), nil
}

// Marshal writes f in the file format, as Load reads it back: strings that
// Load would expand are escaped, short lists of words fit on one line, and
// a blank line parts the sections.
func (f *File) Marshal() ([]byte, error) {
	c := *f
	escapeStrings(reflect.ValueOf(&c).Elem())
	var n yaml.Node
	if err := n.Encode(&c); err != nil {
		return nil, err
	}
	flowScalarLists(&n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return sectionBreaks(buf.Bytes()), nil
}

// sectionBreaks puts a blank line before each top-level key after the
// first, so that the sections stand apart.
func sectionBreaks(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	var out bytes.Buffer
	for i, l := range lines {
		if i > 0 && len(l) > 0 && l[0] != ' ' && l[0] != '-' && l[0] != '#' && l[0] != '\n' {
			out.WriteByte('\n')
		}
		out.Write(l)
	}
	return out.Bytes()
}

// plainWord is a list item that needs no quotes in flow style.
var plainWord = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.@/-]*$`)

// escapeStrings escapes, in place, every string below v that Load would
// otherwise expand. Documents are skipped: they were escaped as read.
func escapeStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(escape(v.String(), false))
	case reflect.Pointer:
		if !v.IsNil() {
			// Copy before writing: the pointer may be shared.
			c := reflect.New(v.Elem().Type())
			c.Elem().Set(v.Elem())
			escapeStrings(c.Elem())
			v.Set(c)
		}
	case reflect.Struct:
		if v.Type() == documentType {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				escapeStrings(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := 0; i < c.Len(); i++ {
			escapeStrings(c.Index(i))
		}
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMap(v.Type())
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			escapeStrings(e)
			c.SetMapIndex(k, e)
		}
		v.Set(c)
	}
}

// flowScalarLists writes short lists of words in flow style: [a, b].
// Lists of anything else stay in block style, where nothing needs quotes.
func flowScalarLists(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
		width, words := 0, true
		for _, c := range n.Content {
			words = words && c.Kind == yaml.ScalarNode && c.ShortTag() == "!!str" && plainWord.MatchString(c.Value)
			width += len(c.Value) + 2
		}
		if words && width <= 72 {
			n.Style = yaml.FlowStyle
		} else {
			n.Style = 0
		}
	}
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		// Quotes a first encoding chose are dropped: the encoder adds
		// them again where the value needs them ("", "true", ": ").
		n.Style = 0
	}
	for _, c := range n.Content {
		flowScalarLists(c)
	}
}
