package http

import (
	"fmt"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/i18n"
)

// messages translates into one language for pages, remembering what it
// translated: the catalogues do not change while the process runs, and a
// page asks for the same few dozen messages on every request (the layout
// alone for about twenty), each of which go-i18n would otherwise match the
// language for and execute a text template for again.
//
// Only messages the catalogues have are remembered, so the memory is
// bounded by the catalogues whatever ids a page asks for. A message with
// one value ("card.candidate" "ID" 17) is remembered with a marker where
// the value goes, and only when two different markers give the same text
// around them (the value is printed, not tested); "Count", which chooses
// a plural form, is never remembered.
type messages struct {
	p     *i18n.Printer
	known func(id string) bool
	plain sync.Map // id -> string
	one   sync.Map // id + "\x00" + key -> string with markerA for the value; "" when not reusable
}

const (
	markerA = "\x00tsunagu-value-a\x00"
	markerB = "\x00tsunagu-value-b\x00"
)

// newMessages returns the page translator of lang over b.
func newMessages(b *i18n.Bundle, p *i18n.Printer) *messages {
	lang, en := b.IDs(p.Lang), b.IDs("en")
	return &messages{p: p, known: func(id string) bool { return lang[id] || en[id] }}
}

// T translates id as i18n.Printer.T does.
func (m *messages) T(id string, args ...any) string {
	switch len(args) {
	case 0:
		if s, ok := m.plain.Load(id); ok {
			return s.(string)
		}
		s := m.p.T(id)
		if m.known(id) {
			m.plain.Store(id, s)
		}
		return s
	case 2:
		key, ok := args[0].(string)
		if !ok || key == "Count" {
			break
		}
		val, ok := printed(args[1])
		if !ok {
			break
		}
		k := id + "\x00" + key
		form, ok := m.one.Load(k)
		if !ok {
			if !m.known(id) {
				break
			}
			a := m.p.T(id, key, markerA)
			if m.p.T(id, key, markerB) != strings.ReplaceAll(a, markerA, markerB) {
				a = ""
			}
			form, _ = m.one.LoadOrStore(k, a)
		}
		if s := form.(string); s != "" {
			return strings.ReplaceAll(s, markerA, val)
		}
	}
	return m.p.T(id, args...)
}

// printed returns v as a text template prints it, for the kinds of values
// pages pass to messages.
func printed(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int, int64, float64:
		return fmt.Sprint(x), true
	}
	return "", false
}

// Translator translates message ids (see i18n.Printer.T).
type Translator interface {
	T(id string, args ...any) string
}

// Messages returns the remembered translations of the request's language,
// for a page that translates many values in Go.
func (s *Server) Messages(c *gin.Context) Translator {
	p := s.printer(c)
	if m, ok := s.messages[p.Lang]; ok && m.p == p {
		return m
	}
	return newMessages(s.i18n, p)
}
