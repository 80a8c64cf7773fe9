package tsunagu

import "testing"

// TestCan is the permission table: each role against each action.
func TestCan(t *testing.T) {
	cand := &User{ID: 1, Role: RoleCandidate}
	other := &User{ID: 2, Role: RoleCandidate}
	comp := &User{ID: 3, Role: RoleCompany}
	coord := &User{ID: 4, Role: RoleCoordinator}
	admin := &User{ID: 5, Role: RoleAdmin}
	off := &User{ID: 6, Role: RoleAdmin, Disabled: true}

	// The company user of these subjects is a member of verified company 9.
	own := Subject{OwnerUserID: 1, Visibility: VisibilityCompanies, ViewerCompanyIDs: []int64{9}}
	ownConsented := Subject{OwnerUserID: 1, Visibility: VisibilityCompanies, Consented: true, ViewerCompanyIDs: []int64{9}}
	hidden := Subject{OwnerUserID: 1, Visibility: VisibilityHidden, ViewerCompanyIDs: []int64{9}}
	hiddenWorked := Subject{OwnerUserID: 1, Visibility: VisibilityHidden, WorksCase: true}
	coordOnly := Subject{OwnerUserID: 1, Visibility: VisibilityCoordinators, ViewerCompanyIDs: []int64{9}}
	// unvetted: the same candidate, seen by a company user whose only
	// company is pending (or who has none).
	unvetted := Subject{OwnerUserID: 1, Visibility: VisibilityCompanies}
	unvettedConsented := Subject{OwnerUserID: 1, Visibility: VisibilityCompanies, Consented: true}
	mine := Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}}
	theirs := Subject{CompanyID: 8, ViewerCompanyIDs: []int64{9}}

	tests := []struct {
		name string
		u    *User
		act  Action
		s    Subject
		want bool
	}{
		{"visitor refused everything", nil, ActCandidateViewAnon, own, false},
		{"disabled admin refused", off, ActAdminArea, Subject{}, false},
		{"candidate area", cand, ActCandidateArea, Subject{}, true},
		{"company not in candidate area", comp, ActCandidateArea, Subject{}, false},
		{"coordinator not in admin area", coord, ActAdminArea, Subject{}, false},
		{"admin in coordinator area", admin, ActCoordinatorArea, Subject{}, true},
		{"candidate sees own profile", cand, ActCandidateViewFull, own, true},
		{"candidate not another's", other, ActCandidateViewFull, own, false},
		{"candidate not another's card", other, ActCandidateViewAnon, own, false},
		{"company card of a visible candidate", comp, ActCandidateViewAnon, own, true},
		{"company no full profile before consent", comp, ActCandidateViewFull, own, false},
		{"company full profile after consent", comp, ActCandidateViewFull, ownConsented, true},
		{"company not a hidden candidate", comp, ActCandidateViewAnon, hidden, false},
		{"unvetted company no card", comp, ActCandidateViewAnon, unvetted, false},
		{"unvetted company no full profile even with consent", comp, ActCandidateViewFull, unvettedConsented, false},
		{"unvetted company no workshop history", comp, ActLecturerHistory, unvettedConsented, false},
		{"unvetted company no matches", comp, ActRoleMatch, Subject{CompanyID: 9}, false},
		{"unvetted company no introduction request", comp, ActIntroductionRequest, Subject{CompanyID: 9, Visibility: VisibilityCompanies}, false},
		{"company requests an introduction for its role", comp, ActIntroductionRequest, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}, Visibility: VisibilityCompanies}, true},
		{"company no introduction for another's role", comp, ActIntroductionRequest, Subject{CompanyID: 8, ViewerCompanyIDs: []int64{9}, Visibility: VisibilityCompanies}, false},
		{"company no introduction to a hidden candidate", comp, ActIntroductionRequest, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}, Visibility: VisibilityHidden, Consented: true}, false},
		{"company no introduction to a coordinators-only candidate", comp, ActIntroductionRequest, Subject{CompanyID: 9, ViewerCompanyIDs: []int64{9}, Visibility: VisibilityCoordinators}, false},
		{"coordinator suggests instead of requesting", coord, ActIntroductionRequest, Subject{CompanyID: 9, Visibility: VisibilityCompanies}, false},
		{"coordinator records a consent given by phone", coord, ActIntroductionRecord, own, true},
		{"admin records a consent given on paper", admin, ActIntroductionRecord, own, true},
		{"candidate answers, does not record", cand, ActIntroductionRecord, own, false},
		{"company cannot record a consent", comp, ActIntroductionRecord, mine, false},
		{"coordinator cannot consent as the candidate", coord, ActIntroductionConsent, own, false},
		{"company not a coordinators-only candidate", comp, ActCandidateViewAnon, coordOnly, false},
		{"coordinator sees a visible profile", coord, ActCandidateViewFull, coordOnly, true},
		{"coordinator not a hidden profile off their cases", coord, ActCandidateViewFull, hidden, false},
		{"coordinator of the case sees a hidden profile", coord, ActCandidateViewFull, hiddenWorked, true},
		{"admin sees a hidden profile", admin, ActCandidateViewFull, hidden, true},
		{"uploader sees the import job", coord, ActImportJob, Subject{OwnerUserID: 4}, true},
		{"another coordinator not an import job", coord, ActImportJob, Subject{OwnerUserID: 7}, false},
		{"admin sees any import job", admin, ActImportJob, Subject{OwnerUserID: 7}, true},
		{"company no import job", comp, ActImportJob, Subject{OwnerUserID: 3}, false},
		{"candidate edits own", cand, ActCandidateEdit, own, true},
		{"company cannot edit candidate", comp, ActCandidateEdit, own, false},
		{"company cannot list pool", comp, ActCandidateList, Subject{}, false},
		{"company edits own role", comp, ActRoleEdit, mine, true},
		{"company not another's role", comp, ActRoleEdit, theirs, false},
		{"company matches own role", comp, ActRoleMatch, mine, true},
		{"company not another's matches", comp, ActRoleMatch, theirs, false},
		{"candidate sees open role", cand, ActRoleView, Subject{Published: true}, true},
		{"candidate not a draft role", cand, ActRoleView, Subject{CompanyID: 8}, false},
		{"lecturer sees own workshop history", cand, ActLecturerHistory, own, true},
		{"candidate not another's workshop history", other, ActLecturerHistory, own, false},
		{"company no workshop history before consent", comp, ActLecturerHistory, own, false},
		{"company workshop history after consent", comp, ActLecturerHistory, ownConsented, true},
		{"coordinator sees a workshop history", coord, ActLecturerHistory, coordOnly, true},
		{"coordinator no hidden lecturer's history off their cases", coord, ActLecturerHistory, hidden, false},
		{"company sees its own workshop", comp, ActWorkshopView, mine, true},
		{"company not another company's workshop", comp, ActWorkshopView, theirs, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Can(tc.u, tc.act, tc.s); got != tc.want {
				t.Fatalf("Can(%v, %s) = %v, want %v", tc.u, tc.act, got, tc.want)
			}
		})
	}
}
