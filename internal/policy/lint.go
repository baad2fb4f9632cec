package policy

import (
	"fmt"
	"strings"
)

// lint returns warnings for a valid document that probably does not do what
// its author meant. They go into explanations, never into refusals.
func lint(p *Policy, raw []map[string]any) []string {
	var w []string
	for i, st := range p.Statements {
		n := statementName(st, i)
		if !p.Substitutes && strings.Contains(fmt.Sprint(raw[i]), "${") {
			w = append(w, fmt.Sprintf("%s: the policy's Version is not 2012-10-17, so ${…} is literal text, not a policy variable; set \"Version\": \"2012-10-17\"", n))
		}
		if !st.Allow {
			continue
		}
		if broad := broadAction(st); broad != "" && allResources(st) && len(st.Conditions) == 0 {
			w = append(w, fmt.Sprintf("%s allows %s on every resource (\"Resource\": \"*\"); name the resources it needs", n, broad))
		}
		if st.NotAction {
			w = append(w, fmt.Sprintf("%s allows with NotAction: it grants every other action, including ones AWS adds later", n))
		}
		if st.NotResource {
			w = append(w, fmt.Sprintf("%s allows with NotResource: it grants on every other resource", n))
		}
		for _, c := range st.Conditions {
			switch {
			case c.set == "" && c.multi && c.op != "Null":
				w = append(w, fmt.Sprintf("%s: %s on the multivalued key %s never matches; use ForAnyValue:%s or ForAllValues:%s", n, c.name, c.keyName, c.name, c.name))
			case c.set == "ForAllValues":
				w = append(w, fmt.Sprintf("%s: %s also matches when %s is absent or empty; add {\"Null\": {\"%s\": \"false\"}} if it must be present", n, c.name, c.keyName, c.keyName))
			}
		}
	}
	return w
}

func statementName(st *Statement, i int) string {
	if st.Sid != "" {
		return fmt.Sprintf("statement %q", st.Sid)
	}
	return fmt.Sprintf("statement %d", i+1)
}

// broadAction returns the first "*" or "service:*" in Action.
func broadAction(st *Statement) string {
	if st.NotAction {
		return ""
	}
	for _, a := range st.Actions {
		if a == "*" || strings.HasSuffix(a, ":*") {
			return a
		}
	}
	return ""
}

func allResources(st *Statement) bool {
	if st.NotResource {
		return false
	}
	for _, r := range st.Resources {
		if r == "*" {
			return true
		}
	}
	return false
}
