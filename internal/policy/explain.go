package policy

import (
	"fmt"
	"sort"
	"strings"
)

// Trace is how one statement related to a request.
type Trace struct {
	Source    Source
	Index     int // position among the identity policies
	Statement *Statement
	// Applies reports whether the statement matched the request: action,
	// resource, principal (resource policies) and every condition.
	Applies bool
	// Why says, when the statement does not apply, the first element that
	// did not match.
	Why string
	// Near marks a statement that matched the action and the resource but
	// not a condition or the principal: the likeliest cause of a refusal.
	Near bool
}

// Explanation is a decision with the statement-by-statement account behind
// it: every statement of every policy, whether it applied and if not why,
// and the condition keys the request lacked.
type Explanation struct {
	Result
	Trace []Trace
	// Missing lists the condition and variable keys used by statements
	// whose action matches, that the request does not carry: a simulation
	// without them may not show the real decision.
	Missing []string
	// AllowedByBoundary is set when a permissions boundary was given.
	AllowedByBoundary *bool
}

// Explain decides in as Evaluate does and explains the decision. It costs
// far more than Evaluate and is meant for simulations and denied requests.
func Explain(in Input) Explanation {
	x := Explanation{Result: Evaluate(in)}
	e := newEvaluation(in.Request)
	missing := map[string]bool{}
	add := func(src Source, i int, p *Policy) {
		if p == nil {
			return
		}
		for _, st := range p.Statements {
			t := Trace{Source: src, Index: i, Statement: st}
			part, cond := e.mismatch(st, p.Substitutes)
			if part != actionPart {
				e.missingKeys(st, p.Substitutes, missing)
			}
			switch {
			case part != matched:
				t.Why = e.why(st, part, cond, p.Substitutes)
				t.Near = part == conditionPart
			case src == FromResource && e.principal(st) == noMatch:
				t.Near = true
				t.Why = "its principal is not the caller"
				if st.NotPrincipal {
					t.Why = "its NotPrincipal names the caller"
				}
			default:
				t.Applies = true
			}
			x.Trace = append(x.Trace, t)
		}
	}
	for i, p := range in.Identity {
		add(FromIdentity, i, p)
	}
	add(FromSession, 0, in.Session)
	for i, p := range in.ManagedSession {
		add(FromSession, i+1, p)
	}
	add(FromBoundary, 0, in.Boundary)
	add(FromResource, 0, in.Resource)
	if in.Boundary != nil {
		ok := e.first(in.Boundary, false) == nil && e.first(in.Boundary, true) != nil
		x.AllowedByBoundary = &ok
	}
	for k := range missing {
		x.Missing = append(x.Missing, k)
	}
	sort.Strings(x.Missing)
	return x
}

// NearMisses words the statements that matched the action and resource but
// not a condition or the principal, for a refusal's log line.
func (x Explanation) NearMisses() []string {
	var out []string
	for _, t := range x.Trace {
		if t.Near {
			out = append(out, describe(t.Statement)+" of the "+where(t.Source, t.Index)+": "+t.Why)
		}
	}
	return out
}

// why words a mismatch found by evaluation.mismatch.
func (e *evaluation) why(st *Statement, p part, cond int, substitutes bool) string {
	switch p {
	case actionPart:
		if st.NotAction {
			return e.action + " is listed in NotAction"
		}
		return e.action + " is not in Action"
	case resourcePart:
		if st.NotResource {
			return e.req.Resource + " is listed in NotResource"
		}
		return e.req.Resource + " matches no Resource"
	}
	c := st.Conditions[cond]
	vals, present := e.ctx.get(c.key)
	have := "the request has no " + c.keyName
	if present {
		have = fmt.Sprintf("the request has %s = %s", c.keyName, quoteAll(vals))
	}
	return fmt.Sprintf("condition %s %s %s failed: %s", c.name, c.keyName, quoteAll(c.values), have)
}

// missingKeys adds the condition and variable keys of st that the request
// lacks.
func (e *evaluation) missingKeys(st *Statement, substitutes bool, into map[string]bool) {
	for _, c := range st.Conditions {
		if _, ok := e.ctx.get(c.key); !ok {
			into[c.keyName] = true
		}
		if substitutes {
			for _, v := range c.values {
				e.missingVariables(v, into)
			}
		}
	}
	if substitutes {
		for _, r := range st.Resources {
			e.missingVariables(r, into)
		}
	}
}

func (e *evaluation) missingVariables(s string, into map[string]bool) {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return
		}
		expr := s[i+2 : i+j]
		s = s[i+j+1:]
		key, _, _ := strings.Cut(expr, ", '")
		key = strings.TrimSpace(key)
		switch key {
		case "*", "?", "$":
			continue
		}
		if _, ok := e.ctx.get(key); !ok {
			into[key] = true
		}
	}
}

func quoteAll(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return "[" + strings.Join(q, ", ") + "]"
}
