package mail

import (
	"errors"
	"strings"
	"testing"
)

func TestWithoutAddress(t *testing.T) {
	cause := errors.New(`550 <Amina.K@Example.org>: recipient rejected`)
	err := withoutAddress(cause, "amina.k@example.org")
	if strings.Contains(strings.ToLower(err.Error()), "amina") {
		t.Errorf("error still names the address: %v", err)
	}
	if got, want := err.Error(), "550 <<recipient>>: recipient rejected"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	if !errors.Is(err, cause) {
		t.Errorf("the cause is lost")
	}
	if other := errors.New("dial tcp: refused"); withoutAddress(other, "a@b.c") != other {
		t.Errorf("an error without the address changed")
	}
}
