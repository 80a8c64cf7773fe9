package taxonomy_test

import (
	"context"
	"os"
	"testing"

	"github.com/tsunagu-org/tsunagu/internal/dbtest"
	"github.com/tsunagu-org/tsunagu/internal/postgres"
	"github.com/tsunagu-org/tsunagu/internal/taxonomy"
)

// TestStoreLoad loads the embedded taxonomy into PostgreSQL twice: the
// second load writes nothing, and the rows read back as loaded.
func TestStoreLoad(t *testing.T) {
	if os.Getenv("TSUNAGU_TEST_DATABASE_URL") == "" {
		t.Skip("TSUNAGU_TEST_DATABASE_URL not set (run with `make test`)")
	}
	tx, err := taxonomy.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := dbtest.NewDB(t)
	store := postgres.NewTaxonomyStore(db)
	ctx := context.Background()

	occs, skills, rels := tx.StoreRows()

	st, err := store.Load(ctx, occs, skills, rels)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Occupations, int64(len(occs)); got != want {
		t.Errorf("first load wrote %d occupations, want %d", got, want)
	}
	o, s, r, err := store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o != len(occs) || s != len(skills) || r != len(rels) {
		t.Errorf("counts = %d, %d, %d; want %d, %d, %d", o, s, r, len(occs), len(skills), len(rels))
	}

	t.Run("Idempotent", func(t *testing.T) {
		st, err := store.Load(ctx, occs, skills, rels)
		if err != nil {
			t.Fatal(err)
		}
		if st != (postgres.TaxonomyLoadStats{}) {
			t.Errorf("second load changed rows: %+v", st)
		}
	})
	t.Run("ReadBack", func(t *testing.T) {
		want := occs[0]
		got, err := store.Occupation(ctx, want.URI)
		if err != nil {
			t.Fatal(err)
		}
		if got.LabelEn != want.LabelEn || got.LabelAr != want.LabelAr || len(got.AltLabels) != len(want.AltLabels) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
	t.Run("Removed", func(t *testing.T) {
		st, err := store.Load(ctx, occs, skills, rels[1:])
		if err != nil {
			t.Fatal(err)
		}
		if got, want := st.Deleted, int64(1); got != want {
			t.Errorf("deleted %d, want %d", got, want)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := store.Occupation(ctx, "http://example.com/none"); err == nil {
			t.Error("no error for a missing occupation")
		}
	})
}
