package userpool

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/store"
)

// standardAttributes are the OpenID Connect attributes every pool has.
var standardAttributes = []string{"address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
	"locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified", "picture", "preferred_username",
	"profile", "sub", "updated_at", "website", "zoneinfo"}

// schemaAttribute is one attribute of a pool's Schema.
type schemaAttribute struct {
	Name                       string `json:"Name"`
	AttributeDataType          string `json:"AttributeDataType,omitempty"`
	Mutable                    *bool  `json:"Mutable,omitempty"`
	Required                   *bool  `json:"Required,omitempty"`
	DeveloperOnlyAttribute     *bool  `json:"DeveloperOnlyAttribute,omitempty"`
	StringAttributeConstraints *struct {
		MinLength string `json:"MinLength,omitempty"`
		MaxLength string `json:"MaxLength,omitempty"`
	} `json:"StringAttributeConstraints,omitempty"`
	NumberAttributeConstraints *struct {
		MinValue string `json:"MinValue,omitempty"`
		MaxValue string `json:"MaxValue,omitempty"`
	} `json:"NumberAttributeConstraints,omitempty"`
}

// attrName is the name users and tokens see: custom attributes carry the
// custom: prefix, which a Schema entry may leave out.
func (a schemaAttribute) attrName() string {
	if slices.Contains(standardAttributes, a.Name) || strings.HasPrefix(a.Name, "custom:") {
		return a.Name
	}
	return "custom:" + a.Name
}

// schema reads the pool's Schema, by attribute name.
func (set PoolSettings) schema() map[string]schemaAttribute {
	var list []schemaAttribute
	if len(set.Schema) > 0 {
		_ = json.Unmarshal(set.Schema, &list) // validated when stored
	}
	out := make(map[string]schemaAttribute, len(list))
	for _, a := range list {
		out[a.attrName()] = a
	}
	return out
}

// validateSchema checks a Schema given to CreateUserPool or
// AddCustomAttributes.
func validateSchema(raw json.RawMessage) ([]schemaAttribute, error) {
	var list []schemaAttribute
	if len(raw) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, ErrInvalidParameter.New("Schema must be a list of attributes.")
	}
	seen := map[string]bool{}
	for _, a := range list {
		if a.Name == "" || len(a.Name) > 20 && !slices.Contains(standardAttributes, a.Name) {
			return nil, ErrInvalidParameter.New("Custom attribute names are 1 to 20 characters: %q.", a.Name)
		}
		switch a.AttributeDataType {
		case "", "String", "Number", "DateTime", "Boolean":
		default:
			return nil, ErrInvalidParameter.New("AttributeDataType of %s must be String, Number, DateTime or Boolean.", a.Name)
		}
		if seen[a.attrName()] {
			return nil, ErrInvalidParameter.New("Attribute %s appears twice in the schema.", a.attrName())
		}
		seen[a.attrName()] = true
	}
	return list, nil
}

// checkAttributes validates attributes being written against the pool's
// schema and, for a client-side call, the client's WriteAttributes. create
// also enforces the schema's required attributes; otherwise attributes
// the schema makes immutable cannot change.
func (set PoolSettings) checkAttributes(c *Client, attrs []Attribute, create bool) error {
	schema := set.schema()
	given := map[string]bool{}
	for _, a := range attrs {
		given[a.Name] = true
		sa, inSchema := schema[a.Name]
		if !inSchema && !slices.Contains(standardAttributes, a.Name) {
			return ErrInvalidParameter.New("Attributes did not conform to the schema: %s: Attribute does not exist in the schema.", a.Name)
		}
		if !create && sa.Mutable != nil && !*sa.Mutable {
			return ErrInvalidParameter.New("Cannot modify the non-mutable attribute %s.", a.Name)
		}
		if c != nil && len(c.Settings.WriteAttributes) > 0 && !slices.Contains(c.Settings.WriteAttributes, a.Name) {
			return ErrNotAuthorized.New("A client attempted to write unauthorized attribute")
		}
		if err := sa.checkValue(a); err != nil {
			return err
		}
	}
	if create {
		for name, sa := range schema {
			if sa.Required != nil && *sa.Required && !given[name] {
				return ErrInvalidParameter.New("Attributes did not conform to the schema: %s: The attribute is required", name)
			}
		}
	}
	return nil
}

// checkValue checks a value's type and length.
func (sa schemaAttribute) checkValue(a Attribute) error {
	bad := func(why string) error {
		return ErrInvalidParameter.New("Attributes did not conform to the schema: %s: %s", a.Name, why)
	}
	switch sa.AttributeDataType {
	case "Number":
		if _, err := strconv.ParseFloat(a.Value, 64); err != nil {
			return bad("Number must be a number")
		}
	case "Boolean":
		if a.Value != "true" && a.Value != "false" {
			return bad("Boolean must be true or false")
		}
	}
	max := 2048
	if sa.StringAttributeConstraints != nil && sa.StringAttributeConstraints.MaxLength != "" {
		if n, err := strconv.Atoi(sa.StringAttributeConstraints.MaxLength); err == nil {
			max = n
		}
	}
	if len(a.Value) > max {
		return bad("String must be no longer than " + strconv.Itoa(max) + " characters")
	}
	return nil
}

// readable filters attributes to those the client may read (all when its
// ReadAttributes is empty; sub always).
func readable(c *Client, attrs map[string]string) map[string]string {
	if c == nil || len(c.Settings.ReadAttributes) == 0 {
		return attrs
	}
	out := map[string]string{}
	for k, v := range attrs {
		if k == "sub" || slices.Contains(c.Settings.ReadAttributes, k) {
			out[k] = v
		}
	}
	return out
}

// AddCustomAttributes adds custom attributes to a pool's schema.
func (s *Service) AddCustomAttributes(ctx context.Context, poolID string, raw json.RawMessage) error {
	add, err := validateSchema(raw)
	if err != nil {
		return err
	}
	if len(add) == 0 {
		return ErrInvalidParameter.New("1 validation error detected: Value null at 'customAttributes' failed to satisfy constraint: Member must not be null")
	}
	_, set, err := s.pool(ctx, poolID)
	if err != nil {
		return err
	}
	existing := set.schema()
	var list []schemaAttribute
	if len(set.Schema) > 0 {
		_ = json.Unmarshal(set.Schema, &list)
	}
	for _, a := range add {
		if slices.Contains(standardAttributes, a.Name) {
			return ErrInvalidParameter.New("%s is a standard attribute, not a custom one.", a.Name)
		}
		if _, dup := existing[a.attrName()]; dup {
			return ErrInvalidParameter.New("Existing attribute already has name %s.", a.attrName())
		}
		a.Name = a.attrName()
		list = append(list, a)
	}
	if custom := len(list); custom > 50 {
		return ErrInvalidParameter.New("A pool can have at most 50 custom attributes.")
	}
	newRaw, err := json.Marshal(list)
	if err != nil {
		return err
	}
	_, err = s.st.UpdateUserPool(ctx, poolID, func(p *store.UserPool) error {
		var cur PoolSettings
		if err := json.Unmarshal(p.Spec, &cur); err != nil {
			return err
		}
		cur.Schema = newRaw
		spec, err := json.Marshal(cur)
		p.Spec, p.UpdatedAt = spec, s.clock()
		return err
	})
	return err
}
