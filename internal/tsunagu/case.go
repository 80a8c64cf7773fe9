package tsunagu

import (
	"slices"
	"time"
)

// CaseStage is where a candidate is on their journey (DESIGN.md, Stages).
type CaseStage string

// Case stages, in board order.
const (
	StageIntake    CaseStage = "intake"
	StageTraining  CaseStage = "training"
	StageJobReady  CaseStage = "job_ready"
	StageJobSearch CaseStage = "job_search"
	StageHired     CaseStage = "hired"
	StageRetention CaseStage = "retention"
	StageSettled   CaseStage = "settled"
	StageClosed    CaseStage = "closed"
)

// CaseStages lists every stage in board order.
var CaseStages = []CaseStage{StageIntake, StageTraining, StageJobReady, StageJobSearch, StageHired, StageRetention, StageSettled, StageClosed}

// caseMoves are the moves a coordinator may make by hand. Moving to hired
// happens only through an introduction (IntroHired), so that every hire has
// an employer and its retention check-ins; "closed" is reachable from every
// open stage and needs a reason.
var caseMoves = map[CaseStage][]CaseStage{
	StageIntake:    {StageTraining, StageJobReady},
	StageTraining:  {StageJobReady},
	StageJobReady:  {StageTraining, StageJobSearch},
	StageJobSearch: {StageJobReady, StageTraining},
	StageHired:     {StageRetention, StageJobSearch},
	StageRetention: {StageSettled, StageJobSearch},
	StageSettled:   {},
	StageClosed:    {StageIntake}, // reopen
}

// Valid reports whether s is a known stage.
func (s CaseStage) Valid() bool { return slices.Contains(CaseStages, s) }

// Open reports whether the case is still being worked on.
func (s CaseStage) Open() bool { return s.Valid() && s != StageSettled && s != StageClosed }

// NextStages returns the stages a coordinator may move a case in s to by
// hand, "closed" included where allowed.
func (s CaseStage) NextStages() []CaseStage {
	out := append([]CaseStage(nil), caseMoves[s]...)
	if s.Open() {
		out = append(out, StageClosed)
	}
	return out
}

// Close reasons.
const (
	CloseWithdrawn   = "withdrawn"
	CloseUnreachable = "unreachable"
	CloseMovedAway   = "moved_away"
)

// CloseReasons lists the reasons a case may be closed for.
var CloseReasons = []string{CloseWithdrawn, CloseUnreachable, CloseMovedAway}

// CheckCaseMove returns nil when a case may move by hand from one stage to
// another, and otherwise an EINVALID error on the field "stage" (or
// "reason" for a close without a valid reason) that names both stages.
func CheckCaseMove(from, to CaseStage, reason string) error {
	var v Validation
	data := map[string]any{"From": string(from), "To": string(to)}
	switch {
	case !to.Valid():
		v.Add("stage", "error.choice", nil)
	case from == to:
		v.Add("stage", "case.error.same_stage", data)
	case to == StageHired:
		v.Add("stage", "case.error.hire_through_introduction", data)
	case !slices.Contains(from.NextStages(), to):
		v.Add("stage", "case.error.bad_move", data)
	case to == StageClosed && !slices.Contains(CloseReasons, reason):
		v.Add("reason", "case.error.close_reason", nil)
	}
	if err := v.Err(); err != nil {
		e := err.(*Error)
		e.Message = "case.error.bad_move_title"
		e.Data = data
		return e
	}
	return nil
}

// HireMove is what a hire through an introduction does to a case in stage
// from: To is the stage the case moves to (From when it stays) and Behind
// reports that the case was not where a hire is expected (job-ready or job
// search), so its coordinator must be told.
type HireMove struct {
	To     CaseStage
	Behind bool
}

// OnHire returns what a hire does to a case in stage s. The stage rule
// belongs to the case, not to the company that records the hire: a case
// in job-ready or job search moves to hired; a case already hired or in
// retention keeps its stage (a further hire); a case behind (intake,
// training) or closed catches up to hired, and a settled case stays
// settled, both with Behind set so the coordinator reviews it. A hire is
// therefore never refused for the case's stage.
func (s CaseStage) OnHire() HireMove {
	switch s {
	case StageJobReady, StageJobSearch:
		return HireMove{To: StageHired}
	case StageHired, StageRetention:
		return HireMove{To: s}
	case StageSettled:
		return HireMove{To: s, Behind: true}
	}
	return HireMove{To: StageHired, Behind: true}
}

// ResidenceTrack is the residence-status change beside a case.
type ResidenceTrack string

// Residence-status track.
const (
	ResidenceNotStarted ResidenceTrack = "not_started"
	ResidenceApplied    ResidenceTrack = "applied"
	ResidenceChanged    ResidenceTrack = "changed"
	ResidenceRefused    ResidenceTrack = "refused"
)

// ResidenceTracks lists the residence-track states in order.
var ResidenceTracks = []ResidenceTrack{ResidenceNotStarted, ResidenceApplied, ResidenceChanged, ResidenceRefused}

var residenceMoves = map[ResidenceTrack][]ResidenceTrack{
	ResidenceNotStarted: {ResidenceApplied},
	ResidenceApplied:    {ResidenceChanged, ResidenceRefused},
	ResidenceRefused:    {ResidenceApplied}, // apply again
	ResidenceChanged:    {},
}

// Valid reports whether r is a known state.
func (r ResidenceTrack) Valid() bool { return slices.Contains(ResidenceTracks, r) }

// NextResidence returns the states the track may move to from r.
func (r ResidenceTrack) NextResidence() []ResidenceTrack { return residenceMoves[r] }

// CheckResidenceMove returns nil when the residence track may move from one
// state to another, and otherwise an EINVALID error on "residence".
func CheckResidenceMove(from, to ResidenceTrack) error {
	if slices.Contains(residenceMoves[from], to) {
		return nil
	}
	return &Error{Code: EINVALID, Message: "case.error.bad_move_title",
		Data:   map[string]any{"From": string(from), "To": string(to)},
		Fields: map[string]FieldError{"residence": {ID: "case.error.bad_residence_move", Data: map[string]any{"From": string(from), "To": string(to)}}}}
}

// StaleAfter is how long a case may go without activity before its
// coordinator is alerted.
const StaleAfter = 30 * 24 * time.Hour

// Case is a candidate's journey through the programme.
type Case struct {
	ID             int64          `json:"id" db:"id"`
	CandidateID    int64          `json:"candidate_id" db:"candidate_id"`
	CandidateName  string         `json:"candidate_name" db:"candidate_name"`
	CandidateUser  *int64         `json:"-" db:"candidate_user_id"`
	Headline       string         `json:"headline" db:"headline"`
	Stage          CaseStage      `json:"stage" db:"stage"`
	CloseReason    string         `json:"close_reason,omitempty" db:"close_reason"`
	Residence      ResidenceTrack `json:"residence" db:"residence"`
	CoordinatorID  *int64         `json:"coordinator_id,omitempty" db:"coordinator_id"`
	Coordinator    string         `json:"coordinator,omitempty" db:"coordinator_name"`
	StageSince     time.Time      `json:"stage_since" db:"stage_since"`
	LastActivityAt time.Time      `json:"last_activity_at" db:"last_activity_at"`
	Version        int64          `json:"version" db:"version"` // see Candidate.Version
	CreatedAt      time.Time      `json:"created_at" db:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at" db:"updated_at"`
	// Overdue counts follow-ups past due and not done (listing only).
	Overdue int `json:"overdue" db:"overdue"`
}

// Stale reports whether the case has gone StaleAfter without activity.
func (c *Case) Stale(now time.Time) bool {
	return c.Stage.Open() && now.Sub(c.LastActivityAt) >= StaleAfter
}

// Case event kinds.
const (
	EventStage        = "stage"
	EventResidence    = "residence"
	EventNote         = "note"
	EventAssign       = "assign"
	EventIntroduction = "introduction"
	EventFollowup     = "followup"
	EventAlert        = "alert"
)

// CaseEvent is one entry in a case's timeline, stamped with who and when.
type CaseEvent struct {
	ID             int64     `json:"id" db:"id"`
	CaseID         int64     `json:"case_id" db:"case_id"`
	Kind           string    `json:"kind" db:"kind"`
	From           string    `json:"from,omitempty" db:"from_state"`
	To             string    `json:"to,omitempty" db:"to_state"`
	Reason         string    `json:"reason,omitempty" db:"reason"` // a close reason; a system move's message id
	Note           string    `json:"note,omitempty" db:"note"`
	ActorID        *int64    `json:"actor_id,omitempty" db:"actor_id"`
	Actor          string    `json:"actor,omitempty" db:"actor_name"`
	IntroductionID *int64    `json:"introduction_id,omitempty" db:"introduction_id"`
	FollowupID     *int64    `json:"followup_id,omitempty" db:"followup_id"`
	At             time.Time `json:"at" db:"at"`
}

// CaseFilter narrows the board.
type CaseFilter struct {
	CoordinatorID int64     // 0: any
	Unassigned    bool      // only cases without a coordinator
	Stage         CaseStage // "": any
	Overdue       bool      // only cases with an overdue follow-up or gone stale
	CompanyID     int64     // only cases with an introduction to this company
	Query         string    // part of the candidate's name or headline
	Limit         int
}

// CaseMove is a requested move of one case.
type CaseMove struct {
	Stage  CaseStage `json:"stage"`
	Reason string    `json:"reason,omitempty"` // for closed
	Note   string    `json:"note,omitempty"`
	// Version is the version of the case the move was decided on (0:
	// whatever it is now); a case changed since is not moved (Stale).
	Version int64 `json:"version,omitempty"`
}

// MaxNote is the longest note kept with a move or on a timeline.
const MaxNote = 4000
