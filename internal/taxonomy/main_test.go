package taxonomy

import (
	"os"
	"sync"
	"testing"
)

var (
	testOnce sync.Once
	testN    *Normalizer
	testErr  error
	testDir  string
)

// testNormalizer builds the on-disk index once for the package's tests.
func testNormalizer(tb testing.TB) *Normalizer {
	tb.Helper()
	testOnce.Do(func() {
		t, err := Load()
		if err != nil {
			testErr = err
			return
		}
		testDir, err = os.MkdirTemp("", "taxonomy-test-")
		if err != nil {
			testErr = err
			return
		}
		testN, testErr = OpenNormalizer(testDir, t)
	})
	if testErr != nil {
		tb.Fatal(testErr)
	}
	return testN
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testN != nil {
		testN.Close()
	}
	if testDir != "" {
		os.RemoveAll(testDir)
	}
	os.Exit(code)
}
