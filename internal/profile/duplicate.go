package profile

import (
	"context"
	"fmt"
	"strings"

	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Duplicates (issue 12.8). A candidate is a likely duplicate of another
// when they share an e-mail address or a phone number (normalised:
// tsunagu.NormalEmail, tsunagu.NationalPhone), or their names are alike
// (names.go: one name in Latin, Arabic or Katakana letters, with or without
// spaces) and their nationalities do not differ. Staff see the likely
// duplicates before saving a new profile (form, API, import preview); a
// profile saved anyway, one a candidate starts themself and the nightly scan
// record the pair for review, where staff merge it or dismiss it.

// DuplicateStore keeps what detection and merges need (postgres.DB).
type DuplicateStore interface {
	CandidateContactsAfter(ctx context.Context, afterID int64, limit int) ([]postgres.CandidateContact, error)
	CandidateContactsByIDs(ctx context.Context, ids []int64) ([]postgres.CandidateContact, error)
	DupKeyPairs(ctx context.Context, from, to int64) ([][2]int64, error)
	StaleDupKeys(ctx context.Context, limit int) ([]postgres.CandidateContact, error)
	SetDupKeys(ctx context.Context, keys []postgres.DupKeys) error
	CandidatesByDupKeys(ctx context.Context, email, phone string, names []string) ([]postgres.CandidateContact, error)
	RecordDuplicatePair(ctx context.Context, a, b int64, reasons []string) error
	DuplicatePairs(ctx context.Context, limit int) ([]postgres.DuplicatePair, error)
	DismissDuplicatePair(ctx context.Context, a, b, by int64) error
	MergeCandidates(ctx context.Context, keep, drop, actorID int64) error
}

// Duplicate is an existing candidate that is likely the same person, and
// why: "email", "phone", "name", "nationality".
type Duplicate struct {
	ID         int64    `json:"id"`
	ExternalID string   `json:"external_id,omitempty"`
	Name       string   `json:"name"`
	Reasons    []string `json:"reasons"`
}

// contact is a candidate as compared.
type contact struct {
	postgres.CandidateContact
	email, phone string
	key          nameKey
}

func newContact(c postgres.CandidateContact) contact {
	x := contact{CandidateContact: c, email: tsunagu.NormalEmail(c.Email), phone: tsunagu.NationalPhone(c.Phone), key: keyOf(c.Name)}
	if len(x.phone) < 6 {
		x.phone = ""
	}
	return x
}

// match says why a and b are likely one person (nil: they are not).
func match(a, b contact) []string {
	var why []string
	if a.email != "" && a.email == b.email {
		why = append(why, "email")
	}
	if a.phone != "" && a.phone == b.phone {
		why = append(why, "phone")
	}
	sameNat := a.Nationality != "" && strings.EqualFold(a.Nationality, b.Nationality)
	if (sameNat || a.Nationality == "" || b.Nationality == "") && a.key.alike(b.key) {
		why = append(why, "name")
		if sameNat {
			why = append(why, "nationality")
		}
	}
	return why
}

func (s *Service) duplicateStore() (DuplicateStore, error) {
	d, ok := s.store.(DuplicateStore)
	if !ok {
		return nil, fmt.Errorf("duplicates: store %T keeps no contacts", s.store)
	}
	return d, nil
}

// FindDuplicates returns the stored candidates that are likely the same
// person as c (c itself, when stored, aside). Staff only
// (tsunagu.ActCandidateList). Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) FindDuplicates(ctx context.Context, c *tsunagu.Candidate) ([]Duplicate, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateList, tsunagu.Subject{}) {
		return nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	return s.duplicatesOf(ctx, c)
}

func (s *Service) duplicatesOf(ctx context.Context, c *tsunagu.Candidate) ([]Duplicate, error) {
	store, err := s.duplicateStore()
	if err != nil {
		return nil, err
	}
	if err := refreshDupKeys(ctx, store, lookupRefresh); err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	cs, err := likelyContacts(ctx, store, c)
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	var out []Duplicate
	eachMatch(c, cs, func(o contact, why []string) {
		out = append(out, Duplicate{ID: o.ID, ExternalID: o.ExternalID, Name: o.Name, Reasons: why})
	})
	return out, nil
}

// dupKeysOf returns the keys c is found by (postgres.DupKeys).
func dupKeysOf(c postgres.CandidateContact) postgres.DupKeys {
	x := newContact(c)
	return postgres.DupKeys{CandidateContact: c, EmailKey: x.email, PhoneKey: x.phone, NameKeys: x.key.blockKeys()}
}

// lookupRefresh is how many stale candidates a look-up keys at most
// before it looks: in steady state it finds the one just saved; right
// after the migration (every candidate stale) the look-ups share the work
// and the nightly scan keys the rest.
const lookupRefresh = 5000

// refreshDupKeys computes the keys of up to limit (0: all) candidates
// written since they were last keyed (new ones, changed names or contacts;
// every candidate once after the migration), a batch at a time: a save
// keys itself only.
func refreshDupKeys(ctx context.Context, store DuplicateStore, limit int) error {
	const batch = 1000
	for done := 0; limit == 0 || done < limit; done += batch {
		stale, err := store.StaleDupKeys(ctx, batch)
		if err != nil {
			return err
		}
		keys := make([]postgres.DupKeys, len(stale))
		for i, c := range stale {
			keys[i] = dupKeysOf(c)
		}
		if err := store.SetDupKeys(ctx, keys); err != nil {
			return err
		}
		if len(stale) < batch {
			return nil
		}
	}
	return nil
}

// likelyContacts returns the stored candidates that share a key with c:
// the only ones match can find alike (blockKeys), found by index.
func likelyContacts(ctx context.Context, store DuplicateStore, c *tsunagu.Candidate) ([]contact, error) {
	k := dupKeysOf(postgres.CandidateContact{Name: c.Name, Email: c.Email, Phone: c.Phone})
	found, err := store.CandidatesByDupKeys(ctx, k.EmailKey, k.PhoneKey, k.NameKeys)
	if err != nil {
		return nil, err
	}
	cs := make([]contact, len(found))
	for i, o := range found {
		cs[i] = newContact(o)
	}
	return cs, nil
}

// eachMatch calls fn with every stored contact c is likely a duplicate of
// (c itself, or the record its external id updates, aside).
func eachMatch(c *tsunagu.Candidate, stored []contact, fn func(o contact, why []string)) {
	me := newContact(postgres.CandidateContact{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, Nationality: c.Nationality})
	for _, o := range stored {
		if o.ID == c.ID || (c.ExternalID != "" && o.ExternalID == c.ExternalID) {
			continue
		}
		if why := match(me, o); len(why) > 0 {
			fn(o, why)
		}
	}
}

// noteDuplicates records, for review, the likely duplicates of a candidate
// just created. It is advice: a failure leaves the save as it is, and the
// nightly scan finds the pair.
func (s *Service) noteDuplicates(ctx context.Context, c *tsunagu.Candidate) {
	dups, err := s.duplicatesOf(ctx, c)
	if err != nil {
		return
	}
	store, _ := s.duplicateStore()
	for _, d := range dups {
		if store.RecordDuplicatePair(ctx, c.ID, d.ID, d.Reasons) != nil {
			return
		}
	}
}

// scanBatch is how many candidates a duplicate scan reads at a time.
var scanBatch = 1000

// ScanDuplicates compares every candidate with every other that shares a
// duplicate key (the e-mail, the phone, a name key: the only ones match
// can find alike) and records the likely pairs for review; it returns how
// many it found. It reads the candidates a keyset page at a time (by id)
// with the pairs the keys' indexes give for that page, each pair once
// (the lower id's page): memory holds one page and its neighbours, never
// every candidate. The nightly task runs it.
func (s *Service) ScanDuplicates(ctx context.Context) (int, error) {
	store, err := s.duplicateStore()
	if err != nil {
		return 0, err
	}
	if err := refreshDupKeys(ctx, store, 0); err != nil {
		return 0, fmt.Errorf("scan duplicates: %w", err)
	}
	found := 0
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return found, err
		}
		page, err := store.CandidateContactsAfter(ctx, after, scanBatch)
		if err != nil {
			return found, fmt.Errorf("scan duplicates: %w", err)
		}
		if len(page) == 0 {
			return found, nil
		}
		first, last := page[0].ID, page[len(page)-1].ID
		pairs, err := store.DupKeyPairs(ctx, first, last)
		if err != nil {
			return found, fmt.Errorf("scan duplicates: %w", err)
		}
		cs := make(map[int64]contact, len(page))
		for _, c := range page {
			cs[c.ID] = newContact(c)
		}
		var others []int64
		for _, p := range pairs {
			if _, ok := cs[p[1]]; !ok {
				others = append(others, p[1])
				cs[p[1]] = contact{} // asked for once
			}
		}
		if len(others) > 0 {
			more, err := store.CandidateContactsByIDs(ctx, others)
			if err != nil {
				return found, fmt.Errorf("scan duplicates: %w", err)
			}
			for _, c := range more {
				cs[c.ID] = newContact(c)
			}
		}
		for _, p := range pairs {
			a, b := cs[p[0]], cs[p[1]]
			if a.ID == 0 || b.ID == 0 { // erased meanwhile
				continue
			}
			if why := match(a, b); len(why) > 0 {
				found++
				if err := store.RecordDuplicatePair(ctx, p[0], p[1], why); err != nil {
					return found, fmt.Errorf("scan duplicates: %w", err)
				}
			}
		}
		after = last
		if len(page) < scanBatch {
			return found, nil
		}
	}
}

// DuplicatePairs lists the pairs awaiting review (staff:
// tsunagu.ActCandidateList). Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DuplicatePairs(ctx context.Context) ([]postgres.DuplicatePair, error) {
	u, err := s.staff(ctx, tsunagu.ActCandidateList)
	if err != nil {
		return nil, err
	}
	store, err := s.duplicateStore()
	if err != nil {
		return nil, err
	}
	pairs, err := store.DuplicatePairs(ctx, 200)
	if err != nil || len(pairs) == 0 {
		return pairs, err
	}
	// The pairs name both people: a read of every identity on the list.
	ids := make([]int64, 0, 2*len(pairs))
	for _, p := range pairs {
		ids = append(ids, p.FirstID, p.SecondID)
	}
	if err := s.audit(ctx, u, AuditListDuplicates, "candidate", 0, map[string]any{"ids": ids, "role": string(u.Role)}); err != nil {
		return nil, err
	}
	return pairs, nil
}

// DismissDuplicate records that a and b are two people (staff:
// tsunagu.ActCandidateImport); audited. Returns EUNAUTHORIZED, EFORBIDDEN,
// ENOTFOUND.
func (s *Service) DismissDuplicate(ctx context.Context, a, b int64) error {
	u, err := s.staff(ctx, tsunagu.ActCandidateImport)
	if err != nil {
		return err
	}
	store, err := s.duplicateStore()
	if err != nil {
		return err
	}
	return store.DismissDuplicatePair(ctx, a, b, u.ID)
}

// MergeCandidates merges drop into keep: every record of drop (history,
// introductions, training, workshops, audit, cases) moves to keep in one
// transaction, and the merge is audited with what moved
// (postgres.DB.MergeCandidates). Staff (tsunagu.ActCandidateImport).
// Returns EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID.
func (s *Service) MergeCandidates(ctx context.Context, keep, drop int64) error {
	u, err := s.staff(ctx, tsunagu.ActCandidateImport)
	if err != nil {
		return err
	}
	store, err := s.duplicateStore()
	if err != nil {
		return err
	}
	if err := store.MergeCandidates(ctx, keep, drop, u.ID); err != nil {
		return fmt.Errorf("merge candidates: %w", err)
	}
	return nil
}

func (s *Service) staff(ctx context.Context, act tsunagu.Action) (*tsunagu.User, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, unauthorized()
	}
	if !tsunagu.Can(u, act, tsunagu.Subject{}) {
		return nil, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.forbidden")
	}
	return u, nil
}

// DuplicateChecker returns a function that names the stored candidates a
// candidate is likely a duplicate of (an upload's preview checks every
// line; each check is one indexed look-up, and the function is safe for
// concurrent use; a look-up that fails names none: it is advice). Staff
// only (tsunagu.ActCandidateList). Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DuplicateChecker(ctx context.Context) (func(c *tsunagu.Candidate) []int64, error) {
	if _, err := s.staff(ctx, tsunagu.ActCandidateList); err != nil {
		return nil, err
	}
	store, err := s.duplicateStore()
	if err != nil {
		return nil, err
	}
	if err := refreshDupKeys(ctx, store, lookupRefresh); err != nil {
		return nil, fmt.Errorf("duplicate checker: %w", err)
	}
	return func(c *tsunagu.Candidate) []int64 {
		cs, err := likelyContacts(ctx, store, c)
		if err != nil {
			return nil
		}
		var ids []int64
		eachMatch(c, cs, func(o contact, _ []string) { ids = append(ids, o.ID) })
		return ids
	}, nil
}
