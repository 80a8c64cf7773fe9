// Command evalnorm measures title and skill normalisation on an evaluation
// folder (default ../shared/eval), or answers queries typed on stdin with
// -q occupations|skills. A development tool; the product's command is
// `tsunagu eval`.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

func main() {
	dir := flag.String("eval", "../shared/eval", "evaluation folder")
	index := flag.String("index", "", "index folder (empty: in memory)")
	q := flag.String("q", "", "read queries from stdin: occupations or skills")
	limit := flag.Int("limit", 5, "results per query with -q")
	flag.Parse()
	ctx := context.Background()
	start := time.Now()
	t, err := taxonomy.Load()
	if err != nil {
		log.Fatal(err)
	}
	loaded := time.Since(start)
	n, err := taxonomy.OpenNormalizer(*index, t)
	if err != nil {
		log.Fatal(err)
	}
	defer n.Close()
	fmt.Fprintf(os.Stderr, "load %v, index %v\n", loaded, time.Since(start)-loaded)
	if *q != "" {
		sc := bufio.NewScanner(os.Stdin)
		enc := json.NewEncoder(os.Stdout)
		for sc.Scan() {
			var res []taxonomy.Result
			if *q == "skills" {
				res, err = n.Skills(ctx, sc.Text(), "en", *limit)
			} else {
				res, err = n.Occupations(ctx, sc.Text(), "en", *limit)
			}
			if err != nil {
				log.Fatal(err)
			}
			enc.Encode(map[string]any{"query": sc.Text(), "results": res})
		}
		return
	}
	start = time.Now()
	if err := taxonomy.EvalReport(ctx, n, *dir, os.Stdout); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "eval %v\n", time.Since(start))
}
