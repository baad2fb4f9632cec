package policy

import (
	"encoding/json"
	"strings"
)

// Position is a place in a policy document, as IAM's policy simulator
// reports matched statements: line and column, both counted from 1.
type Position struct {
	Line, Column int
}

// statementSpans returns the start and end byte offsets of each statement
// in a document that has already parsed: the single Statement object or
// each element of the Statement array.
func statementSpans(doc string) [][2]int {
	dec := json.NewDecoder(strings.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil
		}
		if k != "Statement" {
			if skipValue(dec) != nil {
				return nil
			}
			continue
		}
		start := nextToken(doc, int(dec.InputOffset()))
		if start < len(doc) && doc[start] == '{' {
			if skipValue(dec) != nil {
				return nil
			}
			return [][2]int{{start, int(dec.InputOffset())}}
		}
		if _, err := dec.Token(); err != nil { // '['
			return nil
		}
		var spans [][2]int
		for dec.More() {
			s := nextToken(doc, int(dec.InputOffset()))
			if skipValue(dec) != nil {
				return nil
			}
			spans = append(spans, [2]int{s, int(dec.InputOffset())})
		}
		return spans
	}
	return nil
}

// nextToken skips the whitespace and separators between JSON tokens.
func nextToken(doc string, i int) int {
	for i < len(doc) && strings.IndexByte(" \t\r\n,:", doc[i]) >= 0 {
		i++
	}
	return i
}

// skipValue consumes one JSON value, however deeply nested.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// positionOf turns a byte offset into a line and column.
func positionOf(doc string, off int) Position {
	off = min(off, len(doc))
	line := 1 + strings.Count(doc[:off], "\n")
	col := off - strings.LastIndexByte(doc[:off], '\n')
	return Position{Line: line, Column: col}
}
