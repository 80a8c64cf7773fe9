package search

import "math"

// Demotion is the factor n unmet hard requirements multiply a score by
// (Breakdown.Demotion), for a caller that re-judges a requirement, such as
// a company's location judged by region (matching).
func Demotion(n int) float64 { return math.Pow(demoteFactor, float64(n)) }
