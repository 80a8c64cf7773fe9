package profilehttp

import (
	"encoding/json"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// keepOwn removes from a candidate's data export what is not theirs to
// read, as their case page does: staff-only notes and alerts on the
// case's timeline (other events keep their kind, states and time, not
// the staff's note), and the employer's confidential check-in answers
// (the check-in itself and its dates stay).
func keepOwn(rows map[string][]json.RawMessage) {
	if evs, ok := rows["case_events"]; ok {
		kept := evs[:0]
		for _, raw := range evs {
			var e map[string]any
			if json.Unmarshal(raw, &e) != nil {
				continue
			}
			if k, _ := e["kind"].(string); k == tsunagu.EventNote || k == tsunagu.EventAlert {
				continue
			}
			e["note"] = ""
			if b, err := json.Marshal(e); err == nil {
				kept = append(kept, b)
			}
		}
		rows["case_events"] = kept
	}
	if fs, ok := rows["followups"]; ok {
		kept := fs[:0]
		for _, raw := range fs {
			var f map[string]any
			if json.Unmarshal(raw, &f) != nil {
				continue
			}
			if p, _ := f["party"].(string); p != tsunagu.PartyCandidate {
				for _, k := range []string{"still_employed", "satisfaction", "issues", "completed_by"} {
					delete(f, k)
				}
			}
			if b, err := json.Marshal(f); err == nil {
				kept = append(kept, b)
			}
		}
		rows["followups"] = kept
	}
}
