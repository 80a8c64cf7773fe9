package profile

import "github.com/tsunagu-org/tsunagu/internal/postgres"

// SetScanBatch sets how many candidates ScanDuplicates reads at a time and
// returns what restores it.
func SetScanBatch(n int) (restore func()) {
	old := scanBatch
	scanBatch = n
	return func() { scanBatch = old }
}

// AllPairs is the duplicate scan as it was before it read by pages, kept
// as the reference the paged scan must agree with: every contact in
// memory, each compared with every other of a block (the e-mail, the
// phone, the first letter of each form of the name's skeleton).
func AllPairs(all []postgres.CandidateContact) map[[2]int64][]string {
	blocks := map[string][]int{}
	cs := make([]contact, len(all))
	for i, c := range all {
		cs[i] = newContact(c)
		keys := []string{"e:" + cs[i].email, "p:" + cs[i].phone}
		for _, f := range cs[i].key.forms {
			if f[0] != "" {
				keys = append(keys, "n:"+f[0][:1])
			}
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "e:" || k == "p:" || seen[k] {
				continue
			}
			seen[k] = true
			blocks[k] = append(blocks[k], i)
		}
	}
	found := map[[2]int64][]string{}
	for _, members := range blocks {
		for x := 0; x < len(members); x++ {
			for y := x + 1; y < len(members); y++ {
				a, b := cs[members[x]], cs[members[y]]
				pair := [2]int64{min(a.ID, b.ID), max(a.ID, b.ID)}
				if _, ok := found[pair]; ok {
					continue
				}
				if why := match(a, b); len(why) > 0 {
					found[pair] = why
				}
			}
		}
	}
	return found
}
