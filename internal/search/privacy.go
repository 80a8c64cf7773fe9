package search

import "math"

// WithUnmet returns m judged with unmet as its unmet hard requirements,
// for a caller that re-judges a requirement, such as a company's location
// judged by region (matching). The score is computed again from the
// breakdown the way the index computes it, not scaled from the rounded
// one: two candidates alike but for what the re-judging no longer names
// must score the same to the last digit, or the score tells them apart.
func (m Match) WithUnmet(unmet []Unmet) Match {
	m.Unmet = unmet
	m.Breakdown.Demotion = math.Pow(demoteFactor, float64(len(unmet)))
	m.raw = rawScore(&m.Breakdown)
	m.Score = math.Round(m.raw*1e4) / 1e4
	m.Level = Level(m.Score)
	return m
}
