package cases

import (
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Notifications keep the facts (a stage, a party, a name) in their data and
// are worded when shown or mailed, in the reader's language: NotificationText
// turns the stored codes into words ("hired" → 採用 / Hired, "employer" →
// 雇用主と / with the employer), so no raw state reaches a reader, and a
// notice stored before it named the person reads "the candidate" instead of
// an empty slot.

// Translator renders a catalogue message with its data.
type Translator func(id string, data map[string]any) string

// NotificationText is the text of n as t words it.
func NotificationText(t Translator, n *tsunagu.Notification) string {
	data := make(map[string]any, len(n.Data)+1)
	for k, v := range n.Data {
		data[k] = v
	}
	if s, ok := data["Stage"].(string); ok && s != "" {
		data["Stage"] = t("cases.intro."+s, nil)
	}
	if p, ok := data["Party"].(string); ok && p != "" {
		data["Party"] = t("cases.party."+p, nil)
	}
	if _, ok := data["Name"]; !ok {
		data["Name"] = t("cases.pipeline.anonymous", nil)
	}
	return t(n.MessageID, data)
}

// NotificationGroup is notifications of one kind from one day, shown as one
// line when there are many (GroupNotifications): fifty overdue check-ins
// on a Monday morning are one entry to open, not fifty.
type NotificationGroup struct {
	Kind   string
	Day    string // YYYY-MM-DD in the zone given
	Unread int
	Items  []*tsunagu.Notification
}

// GroupAt is how many notifications of one kind on one day make a group;
// fewer are listed one by one (a group of one).
const GroupAt = 3

// GroupNotifications groups list (newest first) by kind and day in zone:
// a group stands where its newest notice was; notices of a kind and day
// fewer than GroupAt stay where they were, each a group of one.
func GroupNotifications(list []*tsunagu.Notification, zone *time.Location) []*NotificationGroup {
	type key struct{ kind, day string }
	keyOf := func(n *tsunagu.Notification) key { return key{n.Kind, n.CreatedAt.In(zone).Format(time.DateOnly)} }
	count := map[key]int{}
	for _, n := range list {
		count[keyOf(n)]++
	}
	byKey := map[key]*NotificationGroup{}
	var out []*NotificationGroup
	for _, n := range list {
		k := keyOf(n)
		g := byKey[k]
		if g == nil || count[k] < GroupAt {
			g = &NotificationGroup{Kind: k.kind, Day: k.day}
			out = append(out, g)
			if count[k] >= GroupAt {
				byKey[k] = g
			}
		}
		g.Items = append(g.Items, n)
		if n.ReadAt == nil {
			g.Unread++
		}
	}
	return out
}
