package profile

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// CaseCoordinatorStore says who coordinates a candidate's case
// (postgres.DB implements it); without it no coordinator reads a hidden
// profile.
type CaseCoordinatorStore interface {
	CaseCoordinatorID(ctx context.Context, candidateID int64) (int64, error)
}

// candidateSubject gathers the facts tsunagu.Can needs about c for u.
func (s *Service) candidateSubject(ctx context.Context, u *tsunagu.User, companies []int64, c *tsunagu.Candidate) (tsunagu.Subject, error) {
	sub := tsunagu.Subject{Visibility: c.Visibility, ViewerCompanyIDs: companies}
	if c.UserID != nil {
		sub.OwnerUserID = *c.UserID
	}
	if u.Role.Staff() && c.Visibility == tsunagu.VisibilityHidden {
		if cs, ok := s.store.(CaseCoordinatorStore); ok {
			id, err := cs.CaseCoordinatorID(ctx, c.ID)
			if err != nil {
				return sub, fmt.Errorf("case coordinator: %w", err)
			}
			sub.WorksCase = id != 0 && id == u.ID
		}
	}
	if u.Role == tsunagu.RoleCompany && s.consents != nil && len(companies) > 0 {
		ok, err := s.consents.Consented(ctx, c.ID, companies)
		if err != nil {
			return sub, fmt.Errorf("consents: %w", err)
		}
		sub.Consented = ok
	}
	return sub, nil
}

// FindCandidateByID returns the full candidate to staff, to the candidate
// themself and to a company the candidate consented to; every view by
// someone other than the candidate writes an audit_log row
// ("candidate.view_full") before the record is returned. Returns
// EUNAUTHORIZED for visitors, ENOTFOUND when the candidate does not exist
// or the caller may not see even its card, EFORBIDDEN when the caller may
// see only the card.
func (s *Service) FindCandidateByID(ctx context.Context, id int64) (*tsunagu.Candidate, error) {
	u, companies, c, _, err := s.candidateForViewer(ctx, id)
	if err != nil {
		return nil, err
	}
	sub, err := s.candidateSubject(ctx, u, companies, c)
	if err != nil {
		return nil, err
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateViewFull, sub) {
		if tsunagu.Can(u, tsunagu.ActCandidateViewAnon, sub) {
			return nil, tsunagu.Forbidden()
		}
		return nil, tsunagu.NotFound()
	}
	if sub.OwnerUserID != u.ID {
		if err := s.audit(ctx, u, AuditViewFull, "candidate", c.ID, map[string]any{"role": string(u.Role)}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// FindCandidateCard returns the anonymised card of a candidate to anyone
// who may see it (tsunagu.ActCandidateViewAnon). Returns EUNAUTHORIZED,
// ENOTFOUND.
//
// It is the profile page companies browse, so it costs one round trip
// when it can: the candidate and the viewer's companies are read together
// (candidateForViewer), and consent is asked only when the decision
// depends on it — a card a candidate shows to every company needs none.
func (s *Service) FindCandidateCard(ctx context.Context, id int64) (*tsunagu.CandidateCard, error) {
	card, _, err := s.FindCandidateCardPage(ctx, id)
	return card, err
}

// FindCandidateCardPage is FindCandidateCard for the card page: it also
// reports whether the candidate was ever proposed as a workshop lecturer,
// read in the same round trip (CandidateViewerStore; true when the store
// cannot tell), so the page asks for a workshop history only when there
// can be one. Returns EUNAUTHORIZED, ENOTFOUND.
func (s *Service) FindCandidateCardPage(ctx context.Context, id int64) (*tsunagu.CandidateCard, bool, error) {
	u, companies, c, lecturer, err := s.candidateForViewer(ctx, id)
	if err != nil {
		return nil, false, err
	}
	sub := tsunagu.Subject{Visibility: c.Visibility, ViewerCompanyIDs: companies}
	if c.UserID != nil {
		sub.OwnerUserID = *c.UserID
	}
	// Consent only ever grants more, so it is looked up only when the
	// answer without it is no.
	if !tsunagu.Can(u, tsunagu.ActCandidateViewAnon, sub) {
		if sub, err = s.candidateSubject(ctx, u, companies, c); err != nil {
			return nil, false, err
		}
		if !tsunagu.Can(u, tsunagu.ActCandidateViewAnon, sub) {
			return nil, false, tsunagu.NotFound()
		}
	}
	return s.card(c, u.Locale), lecturer, nil
}

// CandidateViewerStore reads a candidate together with the companies the
// viewing user belongs to, in one round trip (postgres.DB implements it).
type CandidateViewerStore interface {
	// CandidateForViewer returns the candidate, the viewer's companies and
	// whether the candidate was ever proposed as a workshop lecturer.
	CandidateForViewer(ctx context.Context, id, viewerUserID int64) (*tsunagu.Candidate, []int64, bool, error)
}

// candidateForViewer returns the signed-in user, their companies (company
// users only, as viewer), the candidate with id and whether they were ever
// proposed as a lecturer (true when the store cannot tell). Returns
// EUNAUTHORIZED, ENOTFOUND.
func (s *Service) candidateForViewer(ctx context.Context, id int64) (*tsunagu.User, []int64, *tsunagu.Candidate, bool, error) {
	vs, ok := s.store.(CandidateViewerStore)
	if !ok {
		u, companies, err := s.viewer(ctx)
		if err != nil {
			return nil, nil, nil, false, err
		}
		c, err := s.store.CandidateByID(ctx, id)
		return u, companies, c, true, err
	}
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, nil, nil, false, unauthorized()
	}
	c, companies, lecturer, err := vs.CandidateForViewer(ctx, id, u.ID)
	if err != nil {
		return nil, nil, nil, false, err
	}
	if u.Role != tsunagu.RoleCompany {
		companies = nil
	}
	return u, companies, c, lecturer, nil
}

func (s *Service) card(c *tsunagu.Candidate, lang string) *tsunagu.CandidateCard {
	var label func(string) string
	if l, ok := s.vocab.(Labeler); ok {
		label = func(uri string) string { return l.OccupationLabel(uri, langOr(lang, "en")) }
	}
	return tsunagu.AnonymizeCandidate(c, label)
}

// FindOwnCandidate returns the signed-in candidate's own profile (no audit:
// it is their own). Returns EUNAUTHORIZED, EFORBIDDEN for non-candidates,
// ENOTFOUND when they have no profile yet.
func (s *Service) FindOwnCandidate(ctx context.Context) (*tsunagu.Candidate, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateArea, tsunagu.Subject{}) {
		return nil, tsunagu.Forbidden()
	}
	return s.store.CandidateByUserID(ctx, u.ID)
}

// ListCandidates lists full profiles for staff (tsunagu.ActCandidateList),
// hidden ones only to the coordinator working their case (and admins), and
// writes one audit_log row ("candidate.list") naming every candidate
// returned. Returns EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) ListCandidates(ctx context.Context, f tsunagu.CandidateFilter) ([]*tsunagu.Candidate, int, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, 0, unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateList, tsunagu.Subject{}) {
		return nil, 0, tsunagu.Forbidden()
	}
	f.Fields = tsunagu.SearchFieldsFor(u)
	f.HiddenFor = 0
	if u.Role != tsunagu.RoleAdmin {
		f.HiddenFor = u.ID
	}
	list, total, err := s.store.ListCandidates(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	// A list of full profiles is a read of every identity on it: one
	// audit row names them all.
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	if len(ids) > 0 {
		if err := s.audit(ctx, u, AuditListFull, "candidate", 0, map[string]any{"ids": ids, "query": f.Query, "role": string(u.Role)}); err != nil {
			return nil, 0, err
		}
	}
	return list, total, nil
}

// ListCandidateCards lists anonymised cards: a company sees candidates who
// made themselves visible to companies, searched only by what a card shows;
// staff see any. Returns EUNAUTHORIZED, EFORBIDDEN for candidates.
func (s *Service) ListCandidateCards(ctx context.Context, f tsunagu.CandidateFilter) ([]*tsunagu.CandidateCard, int, error) {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return nil, 0, err
	}
	staff := tsunagu.Can(u, tsunagu.ActCandidateList, tsunagu.Subject{})
	if !staff {
		if !tsunagu.Can(u, tsunagu.ActCompanyArea, tsunagu.Subject{}) {
			return nil, 0, tsunagu.Forbidden()
		}
		if len(companies) == 0 {
			// No verified company: nothing to browse, and the page says why.
			return nil, 0, tsunagu.Errorf(tsunagu.EFORBIDDEN, "error.company_pending")
		}
		f.Visibility = tsunagu.VisibilityCompanies
	}
	f.Fields = tsunagu.SearchFieldsFor(u)
	list, total, err := s.store.ListCandidates(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*tsunagu.CandidateCard, 0, len(list))
	for _, c := range list {
		sub := tsunagu.Subject{Visibility: c.Visibility, ViewerCompanyIDs: companies}
		if c.UserID != nil {
			sub.OwnerUserID = *c.UserID
		}
		if !tsunagu.Can(u, tsunagu.ActCandidateViewAnon, sub) {
			total--
			continue
		}
		out = append(out, s.card(c, u.Locale))
	}
	return out, total, nil
}

// prepareCandidate normalises c, resolves free text to ESCO and validates
// every field, ESCO URIs against the vocabulary.
func (s *Service) prepareCandidate(ctx context.Context, c *tsunagu.Candidate) error {
	if c.Visibility == "" {
		c.Visibility = tsunagu.VisibilityCoordinators
	}
	nonNilCandidate(c)
	c.Normalize()
	lang := langOr(c.Locale, "en")
	s.resolveSkills(ctx, c.Skills, lang)
	for i := range c.WorkHistory {
		s.resolveOccupation(ctx, &c.WorkHistory[i].OccupationURI, c.WorkHistory[i].Title, lang)
	}
	// The work wanted may be typed as a job title (a form's suggestions
	// are labels): resolve it to its occupation, or say it was not found.
	v := &tsunagu.Validation{}
	for i, d := range c.DesiredOccupations {
		if strings.HasPrefix(d, tsunagu.ESCOOccupationPrefix) {
			continue
		}
		uri := ""
		if s.resolveOccupation(ctx, &uri, d, lang); uri == "" {
			v.Add(fmt.Sprintf("desired_occupations[%d]", i), tsunagu.MsgUnknownJobTitle, map[string]any{"Value": d})
			continue
		}
		c.DesiredOccupations[i] = uri
	}
	if err := v.Merge(c.Validate()); err != nil {
		return err
	}
	s.checkSkillURIs(v, "skills", c.Skills)
	for i, w := range c.WorkHistory {
		s.checkOccupationURI(v, fmt.Sprintf("work_history[%d].occupation_uri", i), w.OccupationURI)
	}
	for i, uri := range c.DesiredOccupations {
		s.checkOccupationURI(v, fmt.Sprintf("desired_occupations[%d]", i), uri)
	}
	return v.Err()
}

func nonNilCandidate(c *tsunagu.Candidate) {
	if c.WorkHistory == nil {
		c.WorkHistory = []tsunagu.WorkExperience{}
	}
	if c.Skills == nil {
		c.Skills = []tsunagu.SkillRef{}
	}
	if c.Languages == nil {
		c.Languages = []tsunagu.LanguageSkill{}
	}
	if c.Education == nil {
		c.Education = []tsunagu.Education{}
	}
	if c.Certifications == nil {
		c.Certifications = []string{}
	}
	if c.DesiredOccupations == nil {
		c.DesiredOccupations = []string{}
	}
	if c.PreferredPrefectures == nil {
		c.PreferredPrefectures = []string{}
	}
}

// SaveCandidate creates or updates a profile. Staff may save any; a
// candidate only their own (a new profile is linked to their account, and
// they cannot change its account link or external id). An update with a
// Version saves only if the profile is still at that version. Returns
// EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN, EINVALID (per field), ECONFLICT
// (the account already has a profile, the external id is taken, or
// tsunagu.Stale: someone saved the profile since that version).
func (s *Service) SaveCandidate(ctx context.Context, c *tsunagu.Candidate) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	staff := u.Role.Staff()
	isNew := c.ID == 0
	if c.ID == 0 {
		if !staff {
			c.UserID = &u.ID
			c.ExternalID = ""
		}
		sub := tsunagu.Subject{}
		if c.UserID != nil {
			sub.OwnerUserID = *c.UserID
		}
		if !tsunagu.Can(u, tsunagu.ActCandidateEdit, sub) {
			return tsunagu.Forbidden()
		}
	} else {
		stored, err := s.store.CandidateByID(ctx, c.ID)
		if err != nil {
			return err
		}
		sub, err := s.candidateSubject(ctx, u, companies, stored)
		if err != nil {
			return err
		}
		if !tsunagu.Can(u, tsunagu.ActCandidateEdit, sub) {
			if tsunagu.Can(u, tsunagu.ActCandidateViewAnon, sub) {
				return tsunagu.Forbidden()
			}
			return tsunagu.NotFound()
		}
		if !staff {
			c.UserID, c.ExternalID = stored.UserID, stored.ExternalID
		}
		// A save that does not mention the account link or external id
		// keeps them (staff link accounts explicitly).
		if c.UserID == nil {
			c.UserID = stored.UserID
		}
		if c.ExternalID == "" {
			c.ExternalID = stored.ExternalID
		}
	}
	if err := s.prepareCandidate(ctx, c); err != nil {
		return err
	}
	if err := s.store.SaveCandidate(ctx, c); err != nil {
		if tsunagu.ErrorCode(err) == tsunagu.ECONFLICT {
			return conflictField(err, map[string]string{"candidates_user_id_key": "user_id", "candidates_external_id_key": "external_id"})
		}
		return fmt.Errorf("save candidate: %w", err)
	}
	if isNew {
		s.noteDuplicates(ctx, c) // for review: staff saw them before saving; a candidate's own sign-up is checked here
	}
	return nil
}

// conflictField turns a unique violation into a per-field error.
func conflictField(err error, fields map[string]string) error {
	e := tsunagu.AsError(err)
	constraint, _ := e.Data["Constraint"].(string)
	field, ok := fields[constraint]
	if !ok {
		return err
	}
	var v tsunagu.Validation
	v.Add(field, tsunagu.MsgTaken, nil)
	return v.Err()
}

// DeleteCandidate erases a candidate: the one erasure path, used by the
// candidate's own erasure, the coordinator's delete page and DELETE
// /api/v1/candidates/:id. It removes or anonymises everything that
// identifies them and ends their account, sessions and API tokens, in one
// transaction with the change-log row for the search index and the audit
// row (AuditDeleteCandidate). Staff or the candidate themself. Returns
// EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN.
func (s *Service) DeleteCandidate(ctx context.Context, id int64) error {
	u, companies, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	c, err := s.store.CandidateByID(ctx, id)
	if err != nil {
		return err
	}
	sub, err := s.candidateSubject(ctx, u, companies, c)
	if err != nil {
		return err
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateExportData, sub) {
		if tsunagu.Can(u, tsunagu.ActCandidateViewAnon, sub) {
			return tsunagu.Forbidden()
		}
		return tsunagu.NotFound()
	}
	if err := s.store.EraseCandidate(ctx, id, u.ID); err != nil {
		return fmt.Errorf("erase candidate: %w", err)
	}
	return nil
}

// ImportCandidate creates or updates the candidate with c.ExternalID
// (staff: tsunagu.ActCandidateImport). keep, when not nil, is called with
// the stored record so the caller can carry over what the import leaves
// alone; the account link is always kept. A record equal to the stored one
// is not saved (ImportUnchanged): importing twice changes nothing. Returns
// EUNAUTHORIZED, EFORBIDDEN, EINVALID (per field).
func (s *Service) ImportCandidate(ctx context.Context, c *tsunagu.Candidate, keep func(stored *tsunagu.Candidate)) (tsunagu.ImportOutcome, error) {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return "", unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return "", tsunagu.Forbidden()
	}
	if c.ExternalID == "" {
		var v tsunagu.Validation
		v.Add("id", tsunagu.MsgRequired, nil)
		return "", v.Err()
	}
	stored, err := s.store.CandidateByExternalID(ctx, c.ExternalID)
	switch tsunagu.ErrorCode(err) {
	case "":
		if keep != nil {
			keep(stored)
		}
		// An import updates whatever the version.
		c.ID, c.UserID, c.Version = stored.ID, stored.UserID, 0
	case tsunagu.ENOTFOUND:
		c.ID, c.UserID, c.Version = 0, nil, 0
	default:
		return "", err
	}
	if err := s.prepareCandidate(ctx, c); err != nil {
		return "", err
	}
	if stored != nil && sameCandidate(stored, c) {
		c.Version, c.CreatedAt, c.UpdatedAt = stored.Version, stored.CreatedAt, stored.UpdatedAt
		return tsunagu.ImportUnchanged, nil
	}
	if err := s.store.SaveCandidate(ctx, c); err != nil {
		return "", fmt.Errorf("import candidate: %w", err)
	}
	if stored != nil {
		return tsunagu.ImportUpdated, nil
	}
	return tsunagu.ImportCreated, nil
}

// batchStore saves an import's candidates in batches (postgres.DB).
type batchStore interface {
	CandidatesByExternalIDs(ctx context.Context, externalIDs []string) ([]*tsunagu.Candidate, error)
	SaveCandidates(ctx context.Context, cs []*tsunagu.Candidate) error
}

// ImportCandidates is ImportCandidate for a batch of candidates with
// distinct external ids (keeps[i], when not nil, as keep for cs[i]): the
// stored records are read in one query, every line is checked first, and
// the good ones that changed are saved in one transaction
// (postgres.DB.SaveCandidates). When that transaction fails on a line's
// data (EINVALID, ECONFLICT), the batch is saved again one line at a time,
// so each line gets its own outcome or error, as ImportCandidate gives.
// The error is for the whole batch (EUNAUTHORIZED, EFORBIDDEN, the
// database failing); errs[i] is line i's (EINVALID per field, ECONFLICT).
func (s *Service) ImportCandidates(ctx context.Context, cs []*tsunagu.Candidate, keeps []func(stored *tsunagu.Candidate)) (outs []tsunagu.ImportOutcome, errs []error, err error) {
	outs, errs = make([]tsunagu.ImportOutcome, len(cs)), make([]error, len(cs))
	bs, ok := s.store.(batchStore)
	if !ok {
		for i, c := range cs {
			outs[i], errs[i] = s.ImportCandidate(ctx, c, keeps[i])
		}
		return outs, errs, nil
	}
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return nil, nil, unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return nil, nil, tsunagu.Forbidden()
	}
	ext := make([]string, 0, len(cs))
	for _, c := range cs {
		ext = append(ext, c.ExternalID)
	}
	found, err := bs.CandidatesByExternalIDs(ctx, ext)
	if err != nil {
		return nil, nil, err
	}
	stored := make(map[string]*tsunagu.Candidate, len(found))
	for _, c := range found {
		stored[c.ExternalID] = c
	}
	var save []*tsunagu.Candidate
	var saveAt []int
	for i, c := range cs {
		if c.ExternalID == "" {
			var v tsunagu.Validation
			v.Add("id", tsunagu.MsgRequired, nil)
			errs[i] = v.Err()
			continue
		}
		st := stored[c.ExternalID]
		if st != nil {
			if keeps[i] != nil {
				keeps[i](st)
			}
			c.ID, c.UserID, c.Version = st.ID, st.UserID, 0
		} else {
			c.ID, c.UserID, c.Version = 0, nil, 0
		}
		if errs[i] = s.prepareCandidate(ctx, c); errs[i] != nil {
			continue
		}
		if st != nil && sameCandidate(st, c) {
			c.Version, c.CreatedAt, c.UpdatedAt = st.Version, st.CreatedAt, st.UpdatedAt
			outs[i] = tsunagu.ImportUnchanged
			continue
		}
		outs[i] = tsunagu.ImportCreated
		if st != nil {
			outs[i] = tsunagu.ImportUpdated
		}
		save, saveAt = append(save, c), append(saveAt, i)
	}
	ids := make([]int64, len(save)) // as before the batch, which may set them
	for j, c := range save {
		ids[j] = c.ID
	}
	err = bs.SaveCandidates(ctx, save)
	switch tsunagu.ErrorCode(err) {
	case "":
		return outs, errs, nil
	case tsunagu.EINVALID, tsunagu.ECONFLICT:
		// A line's data: find which, one transaction a line.
		for j, i := range saveAt {
			cs[i].ID, cs[i].Version = ids[j], 0
			if err := s.store.SaveCandidate(ctx, cs[i]); err != nil {
				outs[i], errs[i] = "", fmt.Errorf("import candidate: %w", err)
			}
		}
		return outs, errs, nil
	}
	return nil, nil, fmt.Errorf("import candidates: %w", err)
}

// CheckCandidate normalises, resolves and validates c as ImportCandidate
// would, without saving (staff: tsunagu.ActCandidateImport), for an
// upload's preview. Returns EUNAUTHORIZED, EFORBIDDEN, EINVALID.
func (s *Service) CheckCandidate(ctx context.Context, c *tsunagu.Candidate) error {
	u := tsunagu.UserFromContext(ctx)
	if u == nil {
		return unauthorized()
	}
	if !tsunagu.Can(u, tsunagu.ActCandidateImport, tsunagu.Subject{}) {
		return tsunagu.Forbidden()
	}
	return s.prepareCandidate(ctx, c)
}

// sameCandidate compares two records, versions and timestamps aside.
func sameCandidate(a, b *tsunagu.Candidate) bool {
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	x.Version, y.Version = 0, 0
	return reflect.DeepEqual(x, y)
}
