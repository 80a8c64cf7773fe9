package tsunagu

// Action names something a user may try to do. Every permission decision in
// the platform goes through Can, so the rules live in one place and one test
// table proves them.
type Action string

// Actions.
const (
	// Pages and areas.
	ActCandidateArea   Action = "area:candidate"   // the candidate's own pages
	ActCompanyArea     Action = "area:company"     // a company member's pages
	ActCoordinatorArea Action = "area:coordinator" // NGO staff pages
	ActAdminArea       Action = "area:admin"       // accounts, settings, mail outbox, queue dashboard

	// Candidates.
	ActCandidateViewFull   Action = "candidate:view_full"   // every field, identity included
	ActCandidateViewAnon   Action = "candidate:view_anon"   // the anonymised card
	ActCandidateEdit       Action = "candidate:edit"        // change the profile
	ActCandidateList       Action = "candidate:list"        // search the whole pool
	ActCandidateImport     Action = "candidate:import"      // bulk import
	ActCandidateExportData Action = "candidate:export_data" // export or erase one's data
	ActImportJob           Action = "import:job"            // see or run an upload (its uploader or an admin)

	// Companies and roles.
	ActCompanyEdit   Action = "company:edit"
	ActCompanyManage Action = "company:manage" // create and delete companies, manage members
	ActRoleImport    Action = "role:import"    // bulk import of roles
	ActRoleEdit      Action = "role:edit"
	ActRoleView      Action = "role:view"
	ActRoleMatch     Action = "role:match" // see matched candidates for a role

	// Cases, introductions and follow-ups.
	ActCaseView             Action = "case:view"             // a case and its timeline
	ActCaseManage           Action = "case:manage"           // move, assign, note, introduce, bulk moves
	ActIntroductionView     Action = "introduction:view"     // one introduction
	ActIntroductionConsent  Action = "introduction:consent"  // the candidate agrees or declines
	ActIntroductionRecord   Action = "introduction:record"   // staff record an answer the candidate gave outside the platform
	ActIntroductionFeedback Action = "introduction:feedback" // the company's interview verdict
	ActIntroductionRequest  Action = "introduction:request"  // a company asks to be introduced to a matched candidate
	ActFollowupAnswer       Action = "followup:answer"       // fill in a retention check-in
	ActOutcomesView         Action = "outcomes:view"         // programme figures

	// Training and co-creation workshops.
	ActTrainingView     Action = "training:view"          // the programme catalogue
	ActTrainingManage   Action = "training:manage"        // programmes, cohorts, enrolment, attendance, completion
	ActTrainingRequest  Action = "training:request"       // a candidate asks to join a cohort
	ActEnrolmentView    Action = "enrolment:view"         // a candidate's enrolments
	ActWorkshopRequest  Action = "workshop:request"       // a company asks for a workshop
	ActWorkshopView     Action = "workshop:view"          // one workshop
	ActWorkshopManage   Action = "workshop:manage"        // propose lecturers, schedule, record delivery
	ActWorkshopRespond  Action = "workshop:respond"       // a proposed lecturer accepts or declines
	ActWorkshopFeedback Action = "workshop:feedback"      // company or lecturer feedback after delivery
	ActLecturerName     Action = "workshop:lecturer_name" // see who a lecturer is
	ActLecturerHistory  Action = "workshop:history"       // a lecturer's workshops in full (topics, dates, companies one may see)
)

// Subject carries the facts about the thing acted on that a decision needs.
// Leave fields zero when they do not apply.
type Subject struct {
	// OwnerUserID is the user who owns the record (a candidate's own account).
	OwnerUserID int64
	// CompanyID is the company a role or company record belongs to.
	CompanyID int64
	// ViewerCompanyIDs are the verified companies the acting user is a
	// member of. A company user with none (no company yet, or only one
	// still pending vetting) sees no candidate at all.
	ViewerCompanyIDs []int64
	// Visibility is a candidate's visibility setting.
	Visibility string
	// Consented reports whether the candidate consented to an introduction
	// to one of the viewer's companies.
	Consented bool
	// Published reports whether a role is open (visible beyond its company).
	Published bool
	// WorksCase reports that the (staff) viewer is the coordinator
	// assigned to the candidate's case: only they, among coordinators,
	// read a hidden profile.
	WorksCase bool
}

// vetted reports whether the viewer acts for at least one verified company.
func (s Subject) vetted() bool { return len(s.ViewerCompanyIDs) > 0 }

func (s Subject) memberOf(companyID int64) bool {
	if companyID == 0 {
		return false
	}
	for _, id := range s.ViewerCompanyIDs {
		if id == companyID {
			return true
		}
	}
	return false
}

// Can reports whether u may perform act on s. A nil user is a visitor.
func Can(u *User, act Action, s Subject) bool {
	if u == nil || u.Disabled {
		return false
	}
	staff := u.Role.Staff()
	switch act {
	case ActCandidateArea:
		return u.Role == RoleCandidate
	case ActCompanyArea:
		return u.Role == RoleCompany
	case ActCoordinatorArea:
		return staff
	case ActAdminArea:
		return u.Role == RoleAdmin
	case ActCandidateViewFull, ActLecturerHistory:
		// A lecturer's workshop history in full follows the identity
		// rule: on an anonymised card only a summary shows
		// (AnonymizeWorkshops).
		if staff {
			// A hidden profile: only the coordinator working the case
			// (and an admin) among staff.
			return s.Visibility != VisibilityHidden || u.Role == RoleAdmin || s.WorksCase
		}
		if u.Role == RoleCandidate {
			return s.OwnerUserID != 0 && s.OwnerUserID == u.ID
		}
		// A company sees the identity only after the candidate consented
		// to an introduction to that very company.
		return u.Role == RoleCompany && s.vetted() && s.Consented && s.Visibility != VisibilityHidden
	case ActCandidateViewAnon:
		if staff {
			return true
		}
		if u.Role == RoleCandidate {
			return s.OwnerUserID != 0 && s.OwnerUserID == u.ID
		}
		return u.Role == RoleCompany && s.vetted() && (s.Visibility == VisibilityCompanies || s.Consented)
	case ActCandidateEdit, ActCandidateExportData:
		if staff {
			return true
		}
		return u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID
	case ActCandidateList, ActCandidateImport, ActCompanyManage, ActRoleImport:
		return staff
	case ActImportJob:
		// An upload lists people in full: its uploader (OwnerUserID) and
		// admins only.
		return staff && (u.Role == RoleAdmin || (s.OwnerUserID != 0 && s.OwnerUserID == u.ID))
	case ActCompanyEdit, ActRoleEdit:
		return staff || (u.Role == RoleCompany && s.memberOf(s.CompanyID))
	case ActRoleView:
		return staff || s.Published || (u.Role == RoleCompany && s.memberOf(s.CompanyID))
	case ActRoleMatch:
		return staff || (u.Role == RoleCompany && s.memberOf(s.CompanyID))
	case ActCaseView:
		return staff || (u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID)
	case ActCaseManage, ActOutcomesView:
		return staff
	case ActIntroductionView:
		// A company sees an introduction to itself only once the candidate
		// consented; before that it does not learn it exists.
		return staff || (u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID) ||
			(u.Role == RoleCompany && s.memberOf(s.CompanyID) && s.Consented)
	case ActIntroductionConsent:
		return u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID
	case ActIntroductionRecord:
		// Staff record what the candidate said elsewhere, never their own
		// choice: the record names how, when and in which words.
		return staff
	case ActIntroductionRequest:
		// A company asks for a candidate it may see, for one of its own
		// roles; the candidate is then asked for consent.
		return u.Role == RoleCompany && s.memberOf(s.CompanyID) && s.Visibility != VisibilityHidden &&
			(s.Visibility == VisibilityCompanies || s.Consented)
	case ActIntroductionFeedback:
		return u.Role == RoleCompany && s.memberOf(s.CompanyID) && s.Consented
	case ActFollowupAnswer:
		// The service sets OwnerUserID for a candidate's check-in and
		// CompanyID for an employer's, never both.
		return staff || (u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID) ||
			(u.Role == RoleCompany && s.memberOf(s.CompanyID))
	case ActTrainingView:
		return true
	case ActTrainingManage, ActWorkshopManage:
		return staff
	case ActTrainingRequest, ActWorkshopRespond:
		return u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID
	case ActEnrolmentView:
		return staff || (u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID)
	case ActWorkshopRequest:
		return u.Role == RoleCompany && s.memberOf(s.CompanyID)
	case ActWorkshopView:
		// The service sets OwnerUserID when the viewer is a proposed lecturer.
		return staff || (u.Role == RoleCompany && s.memberOf(s.CompanyID)) ||
			(u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID)
	case ActWorkshopFeedback:
		// Consented: the lecturer accepted; Published: the workshop was delivered.
		return s.Published && ((u.Role == RoleCompany && s.memberOf(s.CompanyID)) ||
			(u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID && s.Consented))
	case ActLecturerName:
		// A company learns a lecturer's name only once the lecturer
		// consented to be named to that company (Consented).
		return staff || (u.Role == RoleCandidate && s.OwnerUserID != 0 && s.OwnerUserID == u.ID) ||
			(u.Role == RoleCompany && s.memberOf(s.CompanyID) && s.Consented)
	}
	return false
}
