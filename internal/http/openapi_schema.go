package http

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// List is the JSON shape of a page of a list (ListOf writes it): the
// OpenAPI document names it for a response, as List[tsunagu.JobRole]{}.
type List[T any] struct {
	Items []T `json:"items" validate:"required"`
	Total int `json:"total" validate:"required"`
}

// Items is the JSON shape {"items": [...]} of a whole list.
type Items[T any] struct {
	Items []T `json:"items"`
}

// OK is the answer {"ok": true} of an action that returns nothing else.
type OK struct {
	OK bool `json:"ok" validate:"required"`
}

// Created is the answer {"id": n} of a route that creates a record.
type Created struct {
	ID int64 `json:"id" validate:"required"`
}

// schemaGen turns Go types into component schemas with kin-openapi's
// openapi3gen: a struct is a component named after its type, its fields
// are its JSON fields, and validate tags become constraints (required,
// max/min, range, oneof and the domain's vocabularies as enums).
type schemaGen struct {
	gen     *openapi3gen.Generator
	schemas openapi3.Schemas
	names   map[reflect.Type]string
	taken   map[string]reflect.Type
}

func newSchemaGen() *schemaGen {
	g := &schemaGen{schemas: openapi3.Schemas{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	g.gen = openapi3gen.NewGenerator(
		openapi3gen.UseAllExportedFields(),
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{
			ExportComponentSchemas: true, ExportTopLevelSchema: true, ExportGenerics: true,
		}),
		openapi3gen.CreateTypeNameGenerator(g.typeName),
		openapi3gen.SchemaCustomizer(g.customize),
	)
	return g
}

// ref returns the schema of v's type: a $ref to its component for a
// struct, inline otherwise.
func (g *schemaGen) ref(v any) (*openapi3.SchemaRef, error) {
	return g.gen.NewSchemaRefForValue(v, g.schemas)
}

// finish checks that every $ref names a component.
func (g *schemaGen) finish() error {
	for name, s := range g.schemas {
		if s.Value == nil {
			return fmt.Errorf("openapi: schema %s has no value", name)
		}
	}
	return nil
}

// typeName names the component of a struct type: its Go name, exported
// ("apiError" → "Error"), a list by its item ("List[...JobRole]" →
// "JobRoleList"), prefixed with its package when two packages have a type
// of that name. Anonymous structs are inline ("").
func (g *schemaGen) typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n, ok := g.names[t]; ok {
		return n
	}
	name := t.Name()
	switch {
	case t == reflect.TypeFor[apiError]():
		name = "Error"
	case t == reflect.TypeFor[apiErrorBody]():
		name = "ErrorBody"
	case strings.Contains(name, "["):
		// A generic type: Outer[pkg.Arg] → ArgOuter.
		outer, arg, _ := strings.Cut(name, "[")
		arg = strings.TrimSuffix(arg, "]")
		arg = arg[strings.LastIndexAny(arg, "./*")+1:]
		name = exported(arg) + exported(outer)
	}
	if name != "" {
		name = exported(name)
		if other, ok := g.taken[name]; ok && other != t {
			pkg := t.PkgPath()
			name = exported(pkg[strings.LastIndex(pkg, "/")+1:]) + name
		}
		g.taken[name] = t
	}
	g.names[t] = name
	return name
}

func exported(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// customize completes the schema of a struct from its fields' tags: the
// required fields, each field's constraints, and null for a field that
// encoding/json writes as null (a nil pointer, slice or map without
// omitempty).
func (g *schemaGen) customize(_ string, t reflect.Type, _ reflect.StructTag, s *openapi3.Schema) error {
	if t.Kind() != reflect.Struct || s.Properties == nil {
		return nil
	}
	for _, f := range jsonFields(t) {
		prop, ok := s.Properties[f.name]
		if !ok || prop == nil {
			continue
		}
		rules := strings.Split(f.field.Tag.Get("validate"), ",")
		own, items := rules, []string(nil)
		for i, r := range rules {
			if r == "dive" {
				own, items = rules[:i], rules[i+1:]
				break
			}
		}
		required := false
		for _, r := range own {
			if r == "required" {
				required = true
			}
		}
		if required {
			s.Required = append(s.Required, f.name)
		}
		if prop.Ref == "" || !strings.HasPrefix(prop.Ref, "#/") {
			if prop.Value != nil {
				constrain(prop.Value, own, required)
				if items != nil && prop.Value.Items != nil && !strings.HasPrefix(prop.Value.Items.Ref, "#/") && prop.Value.Items.Value != nil {
					constrain(prop.Value.Items.Value, items, false)
				}
			}
		}
		ft := f.field.Type
		switch ft.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			if f.omitEmpty || (ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Uint8) {
				break
			}
			if strings.HasPrefix(prop.Ref, "#/") {
				s.Properties[f.name] = &openapi3.SchemaRef{Value: &openapi3.Schema{Nullable: true, AllOf: openapi3.SchemaRefs{prop}}}
			} else if prop.Value != nil {
				prop.Value.Nullable = true
			}
		}
	}
	return nil
}

// constrain adds the constraints of validate rules to s.
func constrain(s *openapi3.Schema, rules []string, required bool) {
	if s.Type == nil {
		return
	}
	for _, r := range rules {
		tag, param, _ := strings.Cut(r, "=")
		switch {
		case tag == "min" || tag == "max" || tag == "len":
			n, err := strconv.ParseUint(param, 10, 64)
			if err != nil {
				continue
			}
			f := float64(n)
			switch {
			case s.Type.Is("string"):
				if tag != "max" {
					s.MinLength = n
				}
				if tag != "min" {
					s.MaxLength = &n
				}
			case s.Type.Is("array"):
				if tag != "max" {
					s.MinItems = n
				}
				if tag != "min" {
					s.MaxItems = &n
				}
			case s.Type.Is("integer"), s.Type.Is("number"):
				if tag != "max" {
					s.Min = &f
				}
				if tag != "min" {
					s.Max = &f
				}
			}
		case tag == "range":
			lo, hi, ok := strings.Cut(param, " ")
			a, err1 := strconv.ParseFloat(lo, 64)
			b, err2 := strconv.ParseFloat(hi, 64)
			if ok && err1 == nil && err2 == nil && (s.Type.Is("integer") || s.Type.Is("number")) {
				s.Min, s.Max = &a, &b
			}
		case tag == "oneof" && s.Type.Is("string"):
			s.Enum = nil
			for _, v := range strings.Fields(param) {
				s.Enum = append(s.Enum, v)
			}
		case s.Type.Is("string"):
			if list := tsunagu.Vocabulary(tag); list != nil {
				s.Enum = nil
				if !required {
					s.Enum = append(s.Enum, "") // the custom tags accept "": absent
				}
				for _, v := range list {
					s.Enum = append(s.Enum, v)
				}
			}
		}
	}
}

type jsonField struct {
	name      string
	omitEmpty bool
	field     reflect.StructField
}

// jsonFields lists the fields encoding/json writes for struct type t,
// those of embedded structs without a json name included.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				out = append(out, jsonFields(et)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, omitEmpty: strings.Contains(","+opts+",", ",omitempty,"), field: f})
	}
	return out
}
