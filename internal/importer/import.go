package importer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

// Kinds of import.
const (
	KindCandidates = "candidates"
	KindRoles      = "roles"
)

// DefaultMaxLineBytes bounds one line: a candidate with every list full is
// far below it, so a longer line is rejected unread, not decoded.
const DefaultMaxLineBytes = 1 << 20

// Options configure Import. Candidates or Roles must be set for the kind.
type Options struct {
	Candidates tsunagu.CandidateService
	Roles      tsunagu.RoleService
	// Progress, when set, receives a line every ProgressEvery lines
	// (default 1000) and one at the end.
	Progress      io.Writer
	ProgressEvery int
	// MaxLineBytes bounds a line (default DefaultMaxLineBytes).
	MaxLineBytes int
	// OnLine, when set, is called after each line with its outcome
	// (a background job uses it for a progress bar).
	OnLine func(line int, outcome tsunagu.ImportOutcome, rejected *Rejection)
	// DryRun checks every line as an import would, writing nothing (a
	// preview); good lines count as Created. The candidate service must
	// implement Checker.
	DryRun bool
	// LineOffset is added to reported line numbers (1 for a CSV, whose
	// first row is the header).
	LineOffset int
	// Workers is how many lines are saved at once (default 4).
	Workers int
	// Likely, when set, names the stored candidates a candidate line is
	// likely a duplicate of (profile.Service.DuplicateChecker); a preview
	// lists them in Summary.Likely. It must be safe for concurrent use.
	Likely func(c *tsunagu.Candidate) []int64
}

// Checker checks a candidate as an import would, without saving it.
type Checker interface {
	CheckCandidate(ctx context.Context, c *tsunagu.Candidate) error
}

// Rejection is one line that was not imported, and why.
type Rejection struct {
	Line   int    `json:"line"`
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"`
	// Fields are the per-field errors (message IDs and their data), for
	// showing the reason in the reader's language.
	Fields map[string]tsunagu.FieldError `json:"fields,omitempty"`
}

// LikelyDuplicate is a line that is likely someone already stored.
type LikelyDuplicate struct {
	Line int     `json:"line"`
	ID   string  `json:"id,omitempty"`
	Of   []int64 `json:"of"`
}

// Duplicate is an id that appears on several lines of one file; the last
// line imported wins.
type Duplicate struct {
	ID    string `json:"id"`
	Lines []int  `json:"lines"`
}

// Summary is what an import did.
type Summary struct {
	Kind       string      `json:"kind"`
	Lines      int         `json:"lines"` // non-blank lines read
	Created    int         `json:"created"`
	Updated    int         `json:"updated"`
	Unchanged  int         `json:"unchanged"`
	Rejected   int         `json:"rejected"`
	Rejections []Rejection `json:"rejections"`
	Duplicates []Duplicate `json:"duplicates"`
	// Likely are the lines that are likely people already stored (with
	// Options.Likely), in line order.
	Likely   []LikelyDuplicate `json:"likely_duplicates,omitempty"`
	Duration time.Duration     `json:"duration"`
}

// Imported is how many lines were created or updated.
func (s *Summary) Imported() int { return s.Created + s.Updated }

// String is the one-line summary the import command prints.
func (s *Summary) String() string {
	return fmt.Sprintf("import %s: %d lines: %d created, %d updated, %d unchanged, %d rejected; %d duplicate ids (%.1fs)",
		s.Kind, s.Lines, s.Created, s.Updated, s.Unchanged, s.Rejected, len(s.Duplicates), s.Duration.Seconds())
}

// Import reads JSON Lines of kind ("candidates" or "roles") from r and
// imports each good line through the services (the caller in ctx must be
// allowed to import). A bad line — invalid UTF-8, too long, not JSON, a
// missing required field, a bad value, an unknown ESCO URI — is rejected
// with its line number and reason and the import goes on. An id seen twice
// is imported twice, in file order (the last wins), and reported. Lines
// are decoded in order and saved by opt.Workers workers, each id always by
// the same worker. The error is non-nil only when the import could not go
// on (reading failed, the database failed, ctx ended); the summary then
// says how far it got.
func Import(ctx context.Context, r io.Reader, kind string, opt Options) (*Summary, error) {
	start := time.Now()
	sum := &Summary{Kind: kind, Rejections: []Rejection{}, Duplicates: []Duplicate{}}
	defer func() { sum.Duration = time.Since(start) }()
	switch {
	case kind == KindCandidates && opt.Candidates != nil:
	case kind == KindRoles && opt.Roles != nil:
	default:
		return sum, fmt.Errorf("import: unknown kind %q or no service for it", kind)
	}
	if opt.MaxLineBytes <= 0 {
		opt.MaxLineBytes = DefaultMaxLineBytes
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = 1000
	}
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Workers save decoded lines, a batch at a time when the service can;
	// the collector, alone, updates the summary.
	bi, batched := opt.Candidates.(BatchImporter)
	batched = batched && kind == KindCandidates && !opt.DryRun
	queueLen := 16
	if batched {
		queueLen = batchMax
	}
	queues := make([]chan task, opt.Workers)
	results := make(chan result, opt.Workers*4)
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan task, queueLen)
		wg.Add(1)
		go func(q <-chan task) {
			defer wg.Done()
			done := func(t task, out tsunagu.ImportOutcome, err error) {
				res := result{line: t.line, id: t.id, outcome: out, err: err}
				if err == nil && t.cand != nil && opt.Likely != nil {
					res.likely = opt.Likely(t.cand)
				}
				results <- res
			}
			if batched {
				for b := range batches(q) {
					runBatch(ctx, bi, b, done)
				}
				return
			}
			for t := range q {
				out, err := t.run(ctx, opt)
				done(t, out, err)
			}
		}(queues[i])
	}
	var fatal error
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for res := range results {
			if fatal != nil {
				continue
			}
			if err := sum.add(res, opt); err != nil {
				fatal = err
				cancel()
				continue
			}
			if opt.Progress != nil && (sum.Created+sum.Updated+sum.Unchanged+sum.Rejected)%opt.ProgressEvery == 0 {
				fmt.Fprintf(opt.Progress, "import %s: %d lines done, %d imported, %d unchanged, %d rejected (%.1fs)\n",
					kind, sum.Created+sum.Updated+sum.Unchanged+sum.Rejected, sum.Imported(), sum.Unchanged, sum.Rejected, time.Since(start).Seconds())
			}
		}
	}()

	readErr := readLines(ctx, r, kind, opt, sum, queues, results)
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	close(results)
	<-collected
	sort.Slice(sum.Rejections, func(i, j int) bool { return sum.Rejections[i].Line < sum.Rejections[j].Line })
	sort.Slice(sum.Likely, func(i, j int) bool { return sum.Likely[i].Line < sum.Likely[j].Line })
	switch {
	case fatal != nil:
		return sum, fatal
	case readErr != nil:
		return sum, readErr
	}
	return sum, ctx.Err()
}

// BatchImporter imports several candidates at once (profile.Service):
// outs[i] and errs[i] are line i's, err stops the import.
type BatchImporter interface {
	ImportCandidates(ctx context.Context, cs []*tsunagu.Candidate, keeps []func(stored *tsunagu.Candidate)) (outs []tsunagu.ImportOutcome, errs []error, err error)
}

// batchMax bounds a batch of candidates saved in one transaction.
var batchMax = 250

// batches groups the tasks of q into batches of distinct ids: what is
// queued when a batch starts, up to batchMax, without waiting for more.
func batches(q <-chan task) <-chan []task {
	out := make(chan []task)
	go func() {
		defer close(out)
		var next *task
		for {
			var b []task
			if next != nil {
				b, next = append(b, *next), nil
			} else {
				t, ok := <-q
				if !ok {
					return
				}
				b = append(b, t)
			}
			ids := map[string]bool{b[0].id: true}
		fill:
			for len(b) < batchMax {
				select {
				case t, ok := <-q:
					if !ok {
						break fill
					}
					if ids[t.id] { // the same id again: in the next batch, after this one
						next = &t
						break fill
					}
					ids[t.id] = true
					b = append(b, t)
				default:
					break fill
				}
			}
			out <- b
		}
	}()
	return out
}

// runBatch imports a batch of candidate lines and reports each.
func runBatch(ctx context.Context, bi BatchImporter, b []task, done func(task, tsunagu.ImportOutcome, error)) {
	if err := ctx.Err(); err != nil {
		for _, t := range b {
			done(t, "", err)
		}
		return
	}
	cs, keeps := make([]*tsunagu.Candidate, len(b)), make([]func(*tsunagu.Candidate), len(b))
	for i, t := range b {
		cs[i], keeps[i] = t.cand, keepExtras(t.cand, t.extra)
	}
	outs, errs, err := bi.ImportCandidates(ctx, cs, keeps)
	for i, t := range b {
		if err != nil {
			done(t, "", err)
			continue
		}
		done(t, outs[i], errs[i])
	}
}

// task is one decoded line for a worker.
type task struct {
	line  int
	id    string
	cand  *tsunagu.Candidate
	extra Extra
	role  *tsunagu.JobRole
}

func (t task) run(ctx context.Context, opt Options) (tsunagu.ImportOutcome, error) {
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	if t.cand != nil {
		if opt.DryRun {
			ch, ok := opt.Candidates.(Checker)
			if !ok {
				return "", errors.New("import: the candidate service cannot check without saving")
			}
			return tsunagu.ImportCreated, ch.CheckCandidate(ctx, t.cand)
		}
		return opt.Candidates.ImportCandidate(ctx, t.cand, keepExtras(t.cand, t.extra))
	}
	if opt.DryRun {
		return tsunagu.ImportCreated, nil
	}
	return opt.Roles.ImportRole(ctx, t.role)
}

// result is what became of one line.
type result struct {
	line    int
	id      string
	outcome tsunagu.ImportOutcome
	err     error
	likely  []int64 // stored candidates this line is likely a duplicate of
}

// add counts one line's result; a failure that is not the line's fault
// is returned.
func (sum *Summary) add(res result, opt Options) error {
	var rej *Rejection
	if res.err != nil {
		switch tsunagu.ErrorCode(res.err) {
		case tsunagu.EINVALID, tsunagu.ECONFLICT, tsunagu.ENOTFOUND:
		default:
			return fmt.Errorf("import line %d: %w", res.line, res.err)
		}
		rej = &Rejection{Line: res.line, ID: res.id, Reason: Reason(res.err)}
		if e := tsunagu.AsError(res.err); e != nil && len(e.Fields) > 0 {
			rej.Fields = e.Fields
		}
		sum.Rejected++
		sum.Rejections = append(sum.Rejections, *rej)
	} else {
		switch res.outcome {
		case tsunagu.ImportCreated:
			sum.Created++
		case tsunagu.ImportUpdated:
			sum.Updated++
		case tsunagu.ImportUnchanged:
			sum.Unchanged++
		}
	}
	if len(res.likely) > 0 {
		sum.Likely = append(sum.Likely, LikelyDuplicate{Line: res.line, ID: res.id, Of: res.likely})
	}
	if opt.OnLine != nil {
		opt.OnLine(res.line, res.outcome, rej)
	}
	return nil
}

// readLines reads and decodes lines in order, sending bad ones straight to
// results and good ones to the worker that owns their id.
func readLines(ctx context.Context, r io.Reader, kind string, opt Options, sum *Summary, queues []chan task, results chan<- result) error {
	br := bufio.NewReaderSize(r, 64<<10)
	seen := map[string][]int{}
	var dupOrder []string
	defer func() {
		for _, id := range dupOrder {
			sum.Duplicates = append(sum.Duplicates, Duplicate{ID: id, Lines: seen[id]})
		}
	}()
	lineNo := 0
	for {
		if ctx.Err() != nil {
			return nil // the collector cancelled: it holds the error
		}
		line, tooLong, err := readLine(br, opt.MaxLineBytes)
		if err != nil && err != io.EOF {
			return fmt.Errorf("import: read line %d: %w", lineNo+1, err)
		}
		if line == nil && !tooLong && err == io.EOF {
			return nil
		}
		lineNo++
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			sum.Lines++
			reported := lineNo + opt.LineOffset
			t, lineErr := decodeLine(kind, line, tooLong, opt.MaxLineBytes)
			t.line = reported
			if t.id != "" {
				if prev := seen[t.id]; len(prev) == 1 {
					dupOrder = append(dupOrder, t.id)
				}
				seen[t.id] = append(seen[t.id], reported)
			}
			if lineErr != nil {
				results <- result{line: reported, id: t.id, err: lineErr}
			} else {
				h := fnv.New32a()
				h.Write([]byte(t.id))
				select {
				case queues[int(h.Sum32()%uint32(len(queues)))] <- t:
				case <-ctx.Done():
					return nil
				}
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// decodeLine decodes one line into a task, or says why it cannot.
func decodeLine(kind string, line []byte, tooLong bool, max int) (task, error) {
	if tooLong {
		return task{}, &tsunagu.Error{Code: tsunagu.EINVALID, Message: fmt.Sprintf("line is longer than %d bytes", max)}
	}
	if msg, ok := csvError(line); ok {
		return task{}, &tsunagu.Error{Code: tsunagu.EINVALID, Message: "CSV: " + msg}
	}
	if kind == KindCandidates {
		c, extra, err := decodeCandidate(line)
		if err != nil {
			return task{id: peekID(line)}, err
		}
		return task{id: c.ExternalID, cand: c, extra: extra}, nil
	}
	r, _, err := DecodeRole(line)
	if err != nil {
		return task{id: peekID(line)}, err
	}
	return task{id: r.ExternalID, role: r}, nil
}

// csvError returns the reason of a CSV row that could not be read (see
// CSVToJSONL).
func csvError(line []byte) (string, bool) {
	if !bytes.HasPrefix(line, []byte(`{"_csv_error"`)) {
		return "", false
	}
	var w struct {
		Err string `json:"_csv_error"`
	}
	if unmarshal(line, &w) != nil {
		return "", false
	}
	return w.Err, true
}

// peekID returns the "id" of a line that failed to decode, when it can.
func peekID(line []byte) string {
	var w struct {
		ID string `json:"id"`
	}
	if unmarshal(line, &w) != nil {
		return ""
	}
	return w.ID
}

// contract names the candidate fields the interchange format defines (the
// plain fields of candidateLine, and the name it requires): a line without
// one of them sets it empty.
var contract = func() map[string]bool {
	names := map[string]bool{"name": true}
	t := reflect.TypeFor[candidateLine]()
	for i := range t.NumField() {
		if f := t.Field(i); f.Type.Kind() != reflect.Pointer {
			names[jsonName(f)] = true
		}
	}
	return names
}()

// keepExtras returns the function that carries over from the stored record
// every field beyond the contract that the line did not set: those a line
// may carry (extra) and every field of a candidate it cannot, such as one
// added to the profile after the format was written.
func keepExtras(c *tsunagu.Candidate, extra Extra) func(stored *tsunagu.Candidate) {
	return func(s *tsunagu.Candidate) {
		cv, sv := reflect.ValueOf(c).Elem(), reflect.ValueOf(s).Elem()
		for i := range cv.NumField() {
			f := cv.Type().Field(i)
			if name := jsonName(f); f.IsExported() && name != "" && !contract[name] && !extra[name] {
				cv.Field(i).Set(sv.Field(i))
			}
		}
		// Work history and education rows carry fields beyond the contract
		// too (employer, country, institution): keep them when the line's
		// rows are the same jobs and degrees.
		if len(c.WorkHistory) == len(s.WorkHistory) {
			for i := range c.WorkHistory {
				w, sw := &c.WorkHistory[i], s.WorkHistory[i]
				if w.Title == sw.Title {
					if w.Country == "" {
						w.Country = sw.Country
					}
					if w.Employer == "" {
						w.Employer = sw.Employer
					}
				}
			}
		}
		if len(c.Education) == len(s.Education) {
			for i := range c.Education {
				e, se := &c.Education[i], s.Education[i]
				if e.Level == se.Level && e.Field == se.Field {
					if e.Institution == "" {
						e.Institution = se.Institution
					}
					if e.Country == "" {
						e.Country = se.Country
					}
				}
			}
		}
	}
}

// readLine reads one line without its end of line. A line longer than max
// is read to its end and dropped: tooLong is true and line nil. At the end
// of input err is io.EOF (line may hold a last line without a newline).
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max+2 { // +2: the line's own "\r\n"
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == nil:
			if tooLong {
				return nil, true, nil
			}
			return trimEOL(buf), false, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if tooLong {
				return nil, true, io.EOF
			}
			if len(buf) == 0 {
				return nil, false, io.EOF
			}
			return trimEOL(buf), false, io.EOF
		default:
			return nil, false, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if b == nil {
		b = []byte{}
	}
	return b
}

// jsonName is the name of a struct field in JSON ("" when it has none).
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return name
}
