// Package search matches candidates and roles: it resolves profiles to ESCO,
// keeps them in a Bleve index, ranks in both directions with reasons, and
// keeps the index current by following the database's change log.
//
// # Ranking
//
// A candidate or role becomes a Profile (Resolver.Candidate, Resolver.Role):
// skill labels resolve to ESCO skill URIs through an exact map of every
// preferred, alternative, hidden and mapped label; the profile's likely ESCO
// occupations are inferred from its skills (a naive Bayes model over ESCO's
// occupation-skill relations: a role's required skills mostly from an
// occupation's essential skills) together with its job titles (IDF-weighted
// token match over occupation labels, abbreviations expanded, seniority words
// dropped). The Bleve document carries the skill URIs, their broader skills,
// the likely occupations and their ISCO groups (4, 3 and 2 digits), the text
// in per-language fields (English, Japanese as kagome's words, Arabic, Persian,
// French, Russian for Cyrillic, plus a neutral field), Japanese level as a
// number, prefecture, relocation, workplace, availability, visibility.
//
// Engine.CandidatesForRole retrieves a pool (Options.Pool, default 300) with a
// Bleve disjunction over the role's likely occupations and ISCO groups
// (widened to its skills and title words when that finds too few), filtered
// by visibility (and by the hard requirements unless Options.IncludeNear),
// then re-scores each hit in Go: the probability the
// two share an occupation (worth more as the candidate holds more of the
// required skills), the probability they share an ISCO group, required and
// preferred skill coverage weighted by level and years, and title words.
// Every unmet hard requirement (Japanese level, location against workplace
// and relocation, availability) multiplies the score by 0.3 and is reported
// in Match.Unmet; with IncludeNear false such candidates are dropped.
// Each Match lists the skills matched and how (exact, synonym, narrower,
// broader), the required skills missing and a score Breakdown.
// RolesForCandidate is the same in the other direction, over open roles.
//
// Engine.SearchCandidates is the coordinator's pool search: free text over
// every language's field, also resolved to ESCO skills and occupations, with
// Filters (Japanese level, prefecture, workplace).
//
// Hidden candidates never appear; a company viewer (Options.Viewer) sees only
// candidates tsunagu.Can allows (ActCandidateViewAnon).
//
// # API for the web layer
//
//	svc, err := search.NewService(db, cfg.DatabaseURL, filepath.Join(cfg.DataDir, "search"), search.NewResolver(tax))
//	err = svc.Start(ctx) // build when new, catch up, follow the change log
//	defer svc.Close()
//	ms, err := svc.CandidatesForRole(ctx, roleID, search.Options{Viewer: user, IncludeNear: true, Limit: 20})
//	ms, err = svc.RolesForCandidate(ctx, candidateID, search.Options{})
//	hits, err := svc.SearchCandidates(ctx, "bookkeeping", search.Filters{JapaneseMin: 3}, search.Options{Viewer: user})
//	err = svc.Reindex(ctx) // rebuild beside the live index and swap
//
// Match.Matched, Missing, MissingPreferred, Unmet and Breakdown are the
// reasons to show; ENOTFOUND is returned for a role or candidate not (yet)
// indexed.
//
// # Freshness
//
// Service wraps an Engine whose index lives in a folder (TSUNAGU_DATA_DIR)
// and follows the change_log table: Start catches up from the sequence
// recorded inside the index, then applies new rows as NOTIFY
// 'tsunagu_change_log' announces them (with a poll as fallback), each batch
// together with its sequence, so a process stopped mid-apply converges on
// restart. A number taken by a transaction not yet committed is a hole:
// rows after it are applied at once and read past, the hole is looked up on
// every pass, and the recorded sequence stays before it until it commits or
// GapTimeout passes (every hole's clock runs from when it was first seen).
// A rebuild records the holes below its mark (postgres.ChangeLogMark), so a
// save whose transaction was open when the rebuild started is applied after
// the swap whatever its number. Service.Reindex builds a new index beside the live one from the
// database and swaps it in: Bleve's offline builder (no persister or merger
// beside it, one merged segment at the end) fed by two workers while the
// next PostgreSQL page is read and resolved on every core; the profile
// cache comes warm from the build. Service.ReindexFrom does the same from
// records in memory (search.Records), as the benchmark does.
package search
